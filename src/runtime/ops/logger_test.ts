import assert from "node:assert/strict";
import { test } from "node:test";
import { createLogger, formatConsoleLine } from "./logger.ts";

function capture(): { lines: string[]; write(text: string): void } {
  const lines: string[] = [];
  return { lines, write: (text: string) => void lines.push(text) };
}

test("json encoding: one JSON object per line, context fields included", () => {
  const out = capture();
  createLogger("info", out).child({ controller: "gitrepository", namespace: "apps", name: "web" }).info({ revision: "main@sha1:abc" }, "fetched");
  const entry = JSON.parse(out.lines[0]);
  assert.equal(entry.level, "info");
  assert.equal(entry.msg, "fetched");
  assert.equal(entry.controller, "gitrepository");
  assert.equal(entry.revision, "main@sha1:abc");
  assert.match(entry.time, /^\d{4}-\d\d-\d\dT/);
});

test("console encoding: time, level, controller, object, message, then the other fields", () => {
  const out = capture();
  const log = createLogger("debug", out, { encoding: "console" });
  log.child({ controller: "kustomization", kind: "Kustomization" }).child({ namespace: "flux-system", name: "apps", reconcileID: "r-1" }).warn({ reason: "BuildFailed", err: "kustomize build failed: no such file" }, "reconcile failed");
  assert.equal(out.lines.length, 1);
  assert.match(
    out.lines[0],
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z WARN  kustomization Kustomization\/flux-system\/apps reconcile failed reconcileID=r-1 reason=BuildFailed err="kustomize build failed: no such file"\n$/,
  );
  assert.doesNotMatch(out.lines[0], /[{}]/, "no JSON left on the line");
});

test("console encoding leaves out what an entry lacks and respects the level", () => {
  const out = capture();
  const log = createLogger("info", out, { encoding: "console" });
  log.debug("hidden");
  log.info({ controllers: 2, ms: 41 }, "manager started");
  assert.equal(out.lines.length, 1);
  assert.match(out.lines[0], /^\S+ INFO  manager started controllers=2 ms=41\n$/);
});

test("formatConsoleLine: errors show their message, objects are JSON, odd input passes through", () => {
  const err = JSON.stringify({ level: "error", time: "t", msg: "crashed", err: { type: "Error", message: "boom", stack: "Error: boom\n  at x" }, keys: ["a", "b"], empty: "" });
  assert.equal(formatConsoleLine(err), `t ERROR crashed err="boom" keys=["a","b"] empty=""\n`);
  assert.equal(formatConsoleLine("not json"), "not json\n");
  assert.equal(formatConsoleLine("[1,2]\n"), "[1,2]\n");
  assert.equal(formatConsoleLine(JSON.stringify({ level: "info", time: "t", name: "cluster-wide" })), "t INFO  cluster-wide\n");
});
