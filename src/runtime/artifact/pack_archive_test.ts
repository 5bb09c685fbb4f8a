import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { chmod, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { test } from "node:test";
import { createGunzip } from "node:zlib";
import tar from "tar-stream";
import { newHasher } from "./digest_algorithm.ts";
import { packArchive, PackArchiveError } from "./pack_archive.ts";

async function tree(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "pack-"));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, ".."), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

function sink(): Writable {
  return new Writable({ write: (_c, _e, done) => done() });
}

async function listing(dir: string, opts = {}): Promise<Array<{ name: string; mode?: number; body: string }>> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  await packArchive(dir, out, opts);
  const extract = tar.extract();
  const entries: Array<{ name: string; mode?: number; body: string }> = [];
  const reading = (async () => {
    for await (const e of extract) {
      let body = "";
      for await (const c of e) body += String(c);
      entries.push({ name: e.header.name, mode: e.header.mode, body });
    }
  })();
  await Promise.all([pipeline(PassThrough.from(Buffer.concat(chunks)), createGunzip(), extract), reading]);
  return entries;
}

test("the same tree gives the same digest whatever the mtimes and modes", async () => {
  const a = await tree({ "b.txt": "b", "a/x.yaml": "x", "run.sh": "#!/bin/sh" });
  const b = await tree({ "run.sh": "#!/bin/sh", "a/x.yaml": "x", "b.txt": "b" });
  await utimes(join(b, "b.txt"), 1000, 1000);
  await chmod(join(a, "run.sh"), 0o755);
  await chmod(join(b, "run.sh"), 0o711);
  const da = await packArchive(a, sink());
  const db = await packArchive(b, sink());
  assert.equal(da.digest, db.digest);
  assert.match(da.digest, /^sha256:[0-9a-f]{64}$/);
  assert.equal(da.files, 3);
  const entries = await listing(a);
  assert.deepEqual(entries.map((e) => [e.name, e.mode]), [["a/", 0o750], ["a/x.yaml", 0o600], ["b.txt", 0o600], ["run.sh", 0o700]]);
  await rm(a, { recursive: true });
  await rm(b, { recursive: true });
});

test("symlinks inside the tree are packed as their target; outside ones fail", async () => {
  const dir = await tree({ "real/f.txt": "content" });
  await symlink("real/f.txt", join(dir, "link.txt"));
  await symlink("real", join(dir, "linkdir"));
  const entries = await listing(dir);
  assert.deepEqual(entries.map((e) => [e.name, e.body]), [
    ["link.txt", "content"],
    ["linkdir/", ""],
    ["linkdir/f.txt", "content"],
    ["real/", ""],
    ["real/f.txt", "content"],
  ]);
  await symlink("/etc/passwd", join(dir, "evil"));
  await assert.rejects(packArchive(dir, sink()), (err: unknown) => err instanceof PackArchiveError && /symlink 'evil' points outside/.test(err.message));
  // An ignored symlink is never looked at.
  await packArchive(dir, sink(), { ignore: (p) => p === "evil" });
  await rm(dir, { recursive: true });
});

test("ignore prunes directories and the caps fail with the limit named", async () => {
  const dir = await tree({ "keep.txt": "k", "skip/a.txt": "a" });
  const entries = await listing(dir, { ignore: (p: string, isDir: boolean) => isDir && p === "skip/" });
  assert.deepEqual(entries.map((e) => e.name), ["keep.txt"]);
  await assert.rejects(packArchive(dir, sink(), { maxInputBytes: 1 }), /exceed the limit of 1 bytes/);
  await assert.rejects(packArchive(dir, sink(), { maxBytes: 10 }), /artifact exceeds the limit of 10 bytes/);
  await rm(dir, { recursive: true });
});

test("digestAlgorithm picks the hash of the tar.gz; many small and large files keep their order and bodies", async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 40; i++) files[`d${i % 3}/f${String(i).padStart(2, "0")}.txt`] = `body ${i}\n`.repeat(i + 1);
  files["large.bin"] = "x".repeat(3 * 1024 * 1024);
  const dir = await tree(files);
  const chunks: Buffer[] = [];
  const out = new Writable({
    write: (c: Buffer, _e, done) => {
      chunks.push(c);
      done();
    },
  });
  const packed = await packArchive(dir, out, { digestAlgorithm: "sha512" });
  const bytes = Buffer.concat(chunks);
  assert.equal(packed.digest, `sha512:${createHash("sha512").update(bytes).digest("hex")}`);
  assert.equal(packed.size, bytes.length);
  assert.match((await packArchive(dir, sink(), { digestAlgorithm: "sha384" })).digest, /^sha384:[0-9a-f]{96}$/);
  // Gzip output is deterministic here, so blake3 hashes the same bytes sha512 did.
  const blake3 = newHasher("blake3");
  blake3.update(bytes);
  assert.equal((await packArchive(dir, sink(), { digestAlgorithm: "blake3" })).digest, `blake3:${blake3.hex()}`);
  const entries = await listing(dir);
  const want = Object.keys(files).sort();
  assert.deepEqual(entries.filter((e) => !e.name.endsWith("/")).map((e) => e.name), want);
  for (const e of entries) if (!e.name.endsWith("/")) assert.equal(e.body, files[e.name], e.name);
  await rm(dir, { recursive: true });
});
