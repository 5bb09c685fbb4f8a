import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ArtifactStorage, StoragePathError } from "./artifact_storage.ts";
import { newHasher } from "../../runtime/artifact/digest_algorithm.ts";

test("writes are atomic, verified, collected by TTL and count, and kept inside the root", async () => {
  const root = await mkdtemp(join(tmpdir(), "store-"));
  const s = new ArtifactStorage(root, { ttlMs: 60_000, records: 2 });
  const dir = s.dirOf("GitRepository", "ns", "repo");
  assert.equal(dir, "gitrepository/ns/repo");
  await assert.rejects(
    s.write(`${dir}/a.tar.gz`, async (out) => {
      out.write("partial");
      throw new Error("boom");
    }),
    /boom/,
  );
  assert.deepEqual(await readdir(join(root, dir)), [], "a failed write leaves nothing behind");
  for (const name of ["1", "2", "3", "4"]) {
    const { size }: { size: number } = await s.write<void>(`${dir}/${name}.tar.gz`, async (out): Promise<void> => {
      out.end(`content ${name}`);
    });
    assert.equal(size, 9);
  }
  const digest = "sha256:" + (await import("node:crypto")).createHash("sha256").update("content 4").digest("hex");
  assert.equal(await s.verify(`${dir}/4.tar.gz`, digest), true);
  const sha512 = "sha512:" + (await import("node:crypto")).createHash("sha512").update("content 4").digest("hex");
  assert.equal(await s.verify(`${dir}/4.tar.gz`, sha512), true, "the recorded digest's algorithm is used");
  const blake3 = newHasher("blake3");
  blake3.update(Buffer.from("content 4"));
  assert.equal(await s.verify(`${dir}/4.tar.gz`, `blake3:${blake3.hex()}`), true);
  assert.equal(await s.verify(`${dir}/4.tar.gz`, `blake3:${"0".repeat(64)}`), false);
  await writeFile(join(root, dir, "4.tar.gz"), "tampered!");
  assert.equal(await s.verify(`${dir}/4.tar.gz`, digest), false);
  assert.equal(await s.verify(`${dir}/4.tar.gz`, sha512), false);
  const old = new Date(Date.now() - 120_000);
  await utimes(join(root, dir, "1.tar.gz"), old, old);
  const removed = await s.gc(dir, [`${dir}/4.tar.gz`]);
  assert.deepEqual(removed.sort(), ["1.tar.gz", "2.tar.gz"], "1 by TTL, 2 by count (records=2 counts the current one)");
  assert.deepEqual((await readdir(join(root, dir))).sort(), ["3.tar.gz", "4.tar.gz"]);
  assert.equal(await readFile(join(root, dir, "3.tar.gz"), "utf8"), "content 3");
  assert.throws(() => s.abs("../escape"), StoragePathError);
  await s.removeAll(dir);
  assert.deepEqual(await readdir(join(root, "gitrepository/ns")), []);
  await rm(root, { recursive: true });
});
