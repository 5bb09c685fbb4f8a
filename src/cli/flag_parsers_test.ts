import assert from "node:assert/strict";
import { test } from "node:test";
import { normalizeBooleanFlags, parseDurationFlag, parseIntFlag } from "./flag_parsers.ts";

test("Go-style boolean flags become commander's forms", () => {
  assert.deepEqual(
    normalizeBooleanFlags(["--watch-all-namespaces=false", "--enable-leader-election=true", "--no-cross-namespace-refs=true", "--no-remote-bases=false", "--log-level=info"]),
    ["--no-watch-all-namespaces", "--enable-leader-election", "--no-cross-namespace-refs", "--remote-bases", "--log-level=info"],
  );
});

test("malformed numbers and durations are refused with a readable message", () => {
  assert.throws(() => parseIntFlag("ten"), /want a whole number/);
  assert.throws(() => parseDurationFlag("5x"), /invalid duration "5x"/);
  assert.equal(parseDurationFlag("1m"), 60_000);
});
