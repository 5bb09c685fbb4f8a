import assert from "node:assert/strict";
import { test } from "node:test";
import { parseLogLine } from "./logs_entry.ts";

test("parseLogLine reads our pino fields", () => {
  const line = JSON.stringify({
    level: "error", time: "2026-11-25T14:00:00.000Z", controller: "gitrepository", kind: "GitRepository",
    namespace: "flux-system", name: "podinfo", reconcileID: "r1", msg: "reconcile failed",
    err: { type: "Error", message: "auth failed", stack: "Error: auth failed\n    at x" },
  });
  assert.deepEqual(parseLogLine(line), {
    time: "2026-11-25T14:00:00.000Z", level: "error", controller: "gitrepository", kind: "GitRepository",
    namespace: "flux-system", name: "podinfo", msg: "reconcile failed", err: "auth failed", reconcileID: "r1",
  });
});

test("parseLogLine maps pino's numeric levels and epoch times, and zap's ts and error", () => {
  const pino = parseLogLine(JSON.stringify({ level: 30, time: Date.UTC(2026, 10, 25, 14), msg: "up" }));
  assert.equal(pino.level, "info");
  assert.equal(pino.time, "2026-11-25T14:00:00.000Z");
  assert.equal(parseLogLine(JSON.stringify({ level: 50, msg: "x" })).level, "error");
  assert.equal(parseLogLine(JSON.stringify({ level: 20, msg: "x" })).level, "debug");
  assert.equal(parseLogLine(JSON.stringify({ level: 5, msg: "x" })).level, "trace");
  const zap = parseLogLine(JSON.stringify({ level: "ERROR", ts: Date.UTC(2026, 10, 25, 14) / 1000, msg: "m", error: "boom" }));
  assert.equal(zap.level, "error");
  assert.equal(zap.time, "2026-11-25T14:00:00.000Z");
  assert.equal(zap.err, "boom");
});

test("parseLogLine keeps lines that are not a JSON object as text", () => {
  for (const line of ["plain text", "", "42", "[1,2]", "null", "{broken"]) {
    const e = parseLogLine(line);
    assert.equal(e.text, line);
    assert.equal(e.msg, line);
  }
});

test("parseLogLine leaves out empty fields and shows an error object without a message as JSON", () => {
  const e = parseLogLine(JSON.stringify({ level: "info", msg: "m", namespace: "", name: "", err: { code: 7 } }));
  assert.equal(e.namespace, undefined);
  assert.equal(e.name, undefined);
  assert.equal(e.err, '{"code":7}');
  assert.equal(parseLogLine(JSON.stringify({ level: "info" })).msg, "");
});
