import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { shamirCombine, shamirSplit } from "./sops_shamir.ts";

test("any threshold-sized subset of the shares gives the secret back; fewer do not", () => {
  const secret = randomBytes(32);
  const shares = shamirSplit(secret, 5, 3);
  assert.equal(shares.length, 5);
  assert.ok(shares.every((s) => s.length === 33 && s[32] !== 0));
  for (let a = 0; a < 5; a++) {
    for (let b = a + 1; b < 5; b++) {
      for (let c = b + 1; c < 5; c++) assert.deepEqual(shamirCombine([shares[a], shares[b], shares[c]]), secret);
      assert.notDeepEqual(shamirCombine([shares[a], shares[b]]), secret);
    }
  }
  assert.deepEqual(shamirCombine(shares), secret);
});

test("a hand-checked split: 2 of 2 over one byte", () => {
  // Secret 0x2a, polynomial 0x2a + 0x07·x: at x = 1 → 0x2d; at x = 2 → 0x2a ^ (0x07·2 = 0x0e) = 0x24.
  assert.deepEqual(shamirCombine([Buffer.from([0x2d, 1]), Buffer.from([0x24, 2])]), Buffer.from([0x2a]));
});

test("shares that cannot be from one split are refused", () => {
  const shares = shamirSplit(randomBytes(4), 3, 2);
  assert.throws(() => shamirCombine([shares[0]]), /need at least 2 to combine, got 1/);
  assert.throws(() => shamirCombine([shares[0], shares[0]]), /x coordinate is 0 or repeated/);
  assert.throws(() => shamirCombine([shares[0], shares[1].subarray(1)]), /differ in length/);
});
