import assert from "node:assert/strict";
import { test } from "node:test";
import { formatDuration, parseDuration } from "./duration.ts";

test("parses Go durations", () => {
  assert.equal(parseDuration("1m30s"), 90_000);
  assert.equal(parseDuration("500ms"), 500);
  assert.equal(parseDuration("2h"), 7_200_000);
  assert.equal(parseDuration("1.5s"), 1500);
});

test("refuses what Go refuses", () => {
  for (const bad of ["", "5x", "10", "m", "1m 30s"]) assert.throws(() => parseDuration(bad), /invalid duration/);
});

test("formats milliseconds", () => {
  assert.equal(formatDuration(90_000), "1m30s");
  assert.equal(formatDuration(3_600_000), "1h");
});
