import assert from "node:assert/strict";
import { test } from "node:test";
import { humanAge } from "./human_age.ts";

test("ages read like kubectl's", () => {
  assert.equal(humanAge(45_000), "45s");
  assert.equal(humanAge(192_000), "3m12s");
  assert.equal(humanAge(30 * 60_000), "30m");
  assert.equal(humanAge(125 * 60_000), "125m");
  assert.equal(humanAge(5 * 3_600_000 + 60_000), "5h1m");
  assert.equal(humanAge(3 * 86_400_000 + 4 * 3_600_000), "3d4h");
  assert.equal(humanAge(12 * 86_400_000), "12d");
  assert.equal(humanAge(-5), "0s");
});
