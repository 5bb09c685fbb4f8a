import assert from "node:assert/strict";
import { test } from "node:test";
import { parseLogLine } from "./logs_entry.ts";
import { formatLogEntry } from "./logs_format.ts";

const t = "2026-11-25T14:00:00.000Z";
const line = (fields: Record<string, unknown>) => formatLogEntry(parseLogLine(JSON.stringify({ time: t, ...fields })));

test("an entry about an object reads `<time> <level> <Kind>/<namespace>/<name> - <msg>`", () => {
  assert.equal(
    line({ level: "info", controller: "gitrepository", kind: "GitRepository", namespace: "flux-system", name: "podinfo", reconcileID: "r", msg: "stored artifact" }),
    `${t} info GitRepository/flux-system/podinfo - stored artifact`,
  );
});

test("an error follows the message", () => {
  assert.equal(
    line({ level: "error", kind: "Kustomization", namespace: "apps", name: "web", msg: "reconcile failed", err: { type: "Error", message: "no such path", stack: "s" } }),
    `${t} error Kustomization/apps/web - reconcile failed: no such path`,
  );
  assert.equal(line({ level: "error", err: "boom" }), `${t} error - boom`);
});

test("an entry about no object names its controller, or nothing", () => {
  assert.equal(line({ level: "info", controller: "kustomization", msg: "started" }), `${t} info kustomization - started`);
  assert.equal(line({ level: "info", msg: "listening" }), `${t} info - listening`);
  assert.equal(formatLogEntry(parseLogLine(JSON.stringify({ msg: "no level" }))), "info - no level");
  assert.equal(line({ level: "debug", name: "x", msg: "m" }), `${t} debug x - m`);
});

test("a line that is not JSON is printed as it was", () => {
  assert.equal(formatLogEntry(parseLogLine("  at Object.<anonymous> (file.js:1)")), "  at Object.<anonymous> (file.js:1)");
});
