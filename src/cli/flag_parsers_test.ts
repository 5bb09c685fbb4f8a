import assert from "node:assert/strict";
import { test } from "node:test";
import { normalizeBooleanFlags, parseDurationFlag, parseIntFlag, parseSizeFlag } from "./flag_parsers.ts";

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

test("sizes take Kubernetes-style units", () => {
  assert.equal(parseSizeFlag("512Mi"), 512 * 1024 * 1024);
  assert.equal(parseSizeFlag("1G"), 1e9);
  assert.equal(parseSizeFlag("100"), 100);
  assert.throws(() => parseSizeFlag("lots"), /want a size/);
});
