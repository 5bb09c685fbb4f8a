import assert from "node:assert/strict";
import { test } from "node:test";
import { findViolations } from "../../scripts/check_layers.ts";

test("imports point down the layers: api → runtime → controllers → cli/ui", async () => {
  assert.deepEqual(await findViolations(), []);
});
