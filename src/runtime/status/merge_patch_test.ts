import assert from "node:assert/strict";
import { test } from "node:test";
import { mergePatchDiff } from "./merge_patch.ts";

test("unchanged objects need no patch", () => {
  assert.equal(mergePatchDiff({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 2] } }), undefined);
});

test("changed, added and removed keys", () => {
  assert.deepEqual(mergePatchDiff({ a: 1, b: { c: 1, d: 2 }, gone: "x" }, { a: 2, b: { c: 1 }, n: [1] }), {
    a: 2,
    b: { d: null },
    gone: null,
    n: [1],
  });
});

test("arrays are replaced whole", () => {
  assert.deepEqual(mergePatchDiff({ l: [1, 2] }, { l: [1] }), { l: [1] });
});
