import assert from "node:assert/strict";
import { test } from "node:test";
import { formatTable } from "./format_table.ts";

test("columns are aligned on the widest cell and the last column is not padded", () => {
  const lines = formatTable(["NAME", "READY", "MESSAGE"], [["podinfo", "True", "ok"], ["a", "False", "failed: x"]]);
  assert.deepEqual(lines, [
    "NAME      READY   MESSAGE",
    "podinfo   True    ok",
    "a         False   failed: x",
  ]);
});

test("styles see the padded cell so colour does not break alignment", () => {
  const lines = formatTable(["A", "B"], [["x", "y"]], { style: (col, _cell, padded) => (col === "A" ? `<${padded}>` : padded) });
  assert.deepEqual(lines, ["A   B", "<x>   y"]);
});
