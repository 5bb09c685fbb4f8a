import assert from "node:assert/strict";
import { test } from "node:test";
import { startProgress } from "./progress.ts";
import { Reporter } from "./reporter.ts";

function sink(isTTY: boolean) {
  const out: string[] = [];
  return { out, stream: { isTTY, write: (t: string) => out.push(t) } };
}

test("without a terminal each new state is one plain line", () => {
  const { out, stream } = sink(false);
  const p = startProgress(new Reporter(stream), "waiting for reconciliation");
  p.update("waiting for reconciliation");
  p.update("Reconciling: building");
  p.stop();
  assert.deepEqual(out, ["◎ waiting for reconciliation\n", "◎ Reconciling: building\n"]);
});

test("on a terminal a spinner redraws one line and clears it at the end", () => {
  const { out, stream } = sink(true);
  const p = startProgress(new Reporter(stream), "waiting");
  p.update("still waiting");
  p.stop();
  assert.ok(out.every((t) => t.startsWith("\r\x1b[2K")));
  assert.match(out[1], /still waiting/);
  assert.equal(out.at(-1), "\r\x1b[2K");
});
