import assert from "node:assert/strict";
import { test } from "node:test";
import { type LogEntry, parseLogLine } from "./logs_entry.ts";
import { matchesLogFilter } from "./logs_filter.ts";

const entry = (e: Partial<LogEntry>): LogEntry => ({ msg: "m", level: "info", ...e });
const podinfo = entry({ kind: "GitRepository", namespace: "flux-system", name: "podinfo" });

test("no filter keeps everything", () => {
  assert.ok(matchesLogFilter(podinfo, {}));
  assert.ok(matchesLogFilter(entry({}), {}));
});

test("level matches exactly, as flux logs does", () => {
  assert.ok(matchesLogFilter(entry({ level: "error" }), { level: "error" }));
  assert.ok(!matchesLogFilter(entry({ level: "info" }), { level: "error" }));
  assert.ok(!matchesLogFilter(entry({ level: "error" }), { level: "info" }));
  assert.ok(!matchesLogFilter(entry({ level: undefined }), { level: "info" }));
});

test("kind, name and namespace match without case; a missing field does not match", () => {
  assert.ok(matchesLogFilter(podinfo, { kind: "gitrepository", name: "PODINFO", namespace: "flux-system" }));
  assert.ok(!matchesLogFilter(podinfo, { kind: "Kustomization" }));
  assert.ok(!matchesLogFilter(podinfo, { name: "other" }));
  assert.ok(!matchesLogFilter(podinfo, { namespace: "default" }));
  assert.ok(!matchesLogFilter(entry({ controller: "gitrepository" }), { namespace: "flux-system" }));
  assert.ok(!matchesLogFilter(entry({ namespace: "flux-system" }), { kind: "GitRepository" }));
});

test("lines that are not JSON always pass", () => {
  assert.ok(matchesLogFilter(parseLogLine("panic: oops"), { level: "error", kind: "GitRepository", name: "x", namespace: "y" }));
});
