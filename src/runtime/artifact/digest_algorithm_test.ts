import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { isDigestAlgorithm, newHasher, parseDigestAlgorithm } from "./digest_algorithm.ts";

const hex = (algo: Parameters<typeof newHasher>[0], ...chunks: string[]) => {
  const h = newHasher(algo);
  for (const c of chunks) h.update(Buffer.from(c));
  return h.hex();
};

test("blake3 digests match the reference test vectors, fed whole or in pieces", () => {
  assert.equal(hex("blake3"), "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262");
  assert.equal(hex("blake3", "abc"), "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85");
  assert.equal(hex("blake3", "a", "bc"), hex("blake3", "abc"));
  // Longer than one 1 KiB chunk, split across a chunk boundary.
  const long = "x".repeat(3000);
  assert.equal(hex("blake3", long.slice(0, 1500), long.slice(1500)), hex("blake3", long));
});

test("the SHA-2 digests are node:crypto's", () => {
  for (const algo of ["sha256", "sha384", "sha512"] as const) assert.equal(hex(algo, "ab", "c"), createHash(algo).update("abc").digest("hex"));
});

test("--artifact-digest-algo accepts sha256, sha384, sha512 and blake3 in any case", () => {
  assert.equal(parseDigestAlgorithm(" BLAKE3 "), "blake3");
  assert.equal(parseDigestAlgorithm("sha384"), "sha384");
  assert.ok(isDigestAlgorithm("blake3"));
  assert.throws(() => parseDigestAlgorithm("md5"), /^Error: unknown digest algorithm "md5"; use one of sha256, sha384, sha512, blake3$/);
});
