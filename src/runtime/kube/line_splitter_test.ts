import assert from "node:assert/strict";
import { test } from "node:test";
import { LineSplitter } from "./line_splitter.ts";

test("LineSplitter joins lines cut across chunks and keeps a partial one for later", () => {
  const s = new LineSplitter();
  assert.deepEqual(s.push("a\nb"), ["a"]);
  assert.deepEqual(s.push("c\r\n"), ["bc"]);
  assert.deepEqual(s.push("\n"), [""]);
  assert.deepEqual(s.push("d"), []);
  assert.deepEqual(s.end(), ["d"]);
  assert.deepEqual(s.end(), []);
});

test("LineSplitter gives no trailing empty line for text ending in a newline", () => {
  const s = new LineSplitter();
  assert.deepEqual(s.push("x\ny\n"), ["x", "y"]);
  assert.deepEqual(s.end(), []);
});
