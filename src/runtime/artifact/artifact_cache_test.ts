import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import tar from "tar-stream";
import { ArtifactCache, ArtifactError, normalizeDigest } from "./artifact_cache.ts";
import { newHasher } from "./digest_algorithm.ts";

async function tarball(files: Record<string, string>): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, body] of Object.entries(files)) pack.entry({ name }, body);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return gzipSync(Buffer.concat(chunks));
}

const sha = (b: Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

describe("ArtifactCache", () => {
  const files = new Map<string, Buffer>();
  let hits = 0;
  let server: Server;
  let base: string;
  let root: string;

  before(async () => {
    server = createServer((req, res) => {
      hits++;
      const body = files.get(req.url ?? "");
      if (!body) return res.writeHead(404).end();
      // A little latency so concurrent acquires really overlap.
      setTimeout(() => res.writeHead(200).end(body), 20);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    root = join(await mkdtemp(join(tmpdir(), "artifact-cache-test-")), "cache");
  });
  after(() => new Promise((r) => server.close(r)));

  test("one download and extraction for many concurrent consumers", async () => {
    const tgz = await tarball({ "app/deploy.yaml": "kind: Deployment\n" });
    files.set("/a.tar.gz", tgz);
    const cache = new ArtifactCache({ root });
    hits = 0;
    const leases = await Promise.all(Array.from({ length: 50 }, () => cache.acquire({ url: `${base}/a.tar.gz`, digest: sha(tgz) })));
    assert.equal(hits, 1);
    assert.equal(cache.downloads, 1);
    assert.equal(new Set(leases.map((l) => l.dir)).size, 1);
    assert.equal(await readFile(join(leases[0].dir, "app/deploy.yaml"), "utf8"), "kind: Deployment\n");
    for (const l of leases) l.release();
    const again = await cache.acquire({ url: `${base}/a.tar.gz`, digest: sha(tgz) });
    assert.equal(hits, 1, "an idle tree is reused");
    again.release();
    await cache.close();
  });

  test("refuses a digest mismatch and keeps nothing", async () => {
    const tgz = await tarball({ "x.yaml": "a: 1\n" });
    files.set("/b.tar.gz", tgz);
    const cache = new ArtifactCache({ root });
    const wrong = `sha256:${"0".repeat(64)}`;
    await assert.rejects(cache.acquire({ url: `${base}/b.tar.gz`, digest: wrong }), (err: unknown) => {
      assert.ok(err instanceof ArtifactError);
      assert.equal(err.failure, "DigestMismatch");
      assert.match(err.message, /has digest sha256:[0-9a-f]{64}, want sha256:0000/);
      return true;
    });
    assert.equal(cache.size, 0);
    await cache.close();
  });

  test("verifies sha384, sha512 and blake3 digests (--artifact-digest-algo)", async () => {
    const tgz = await tarball({ "y.yaml": "b: 2\n" });
    files.set("/c.tar.gz", tgz);
    const cache = new ArtifactCache({ root });
    for (const algo of ["sha384", "sha512", "blake3"] as const) {
      const hash = newHasher(algo);
      hash.update(tgz);
      const digest = `${algo}:${hash.hex()}`;
      const lease = await cache.acquire({ url: `${base}/c.tar.gz`, digest });
      assert.equal(lease.digest, digest);
      assert.equal(await readFile(join(lease.dir, "y.yaml"), "utf8"), "b: 2\n");
      lease.release();
    }
    const wrong = `sha512:${"0".repeat(128)}`;
    await assert.rejects(cache.acquire({ url: `${base}/c.tar.gz`, digest: wrong }), (err: unknown) => {
      assert.ok(err instanceof ArtifactError);
      assert.equal(err.failure, "DigestMismatch");
      assert.match(err.message, /has digest sha512:[0-9a-f]{128}, want sha512:0000/);
      return true;
    });
    await cache.close();
  });

  test("reports 404 and corrupt archives", async () => {
    const cache = new ArtifactCache({ root });
    await assert.rejects(cache.acquire({ url: `${base}/missing.tar.gz`, digest: sha(Buffer.from("x")) }), { failure: "NotFound" });
    const junk = Buffer.from("this is not a tarball");
    files.set("/junk.tar.gz", junk);
    await assert.rejects(cache.acquire({ url: `${base}/junk.tar.gz`, digest: sha(junk) }), { failure: "Corrupt" });
    await cache.close();
  });

  test("evicts idle trees beyond maxIdle, never one in use", async () => {
    const cache = new ArtifactCache({ root, maxIdle: 1 });
    const leases = [];
    for (const n of [1, 2, 3]) {
      const tgz = await tarball({ [`f${n}.yaml`]: `n: ${n}\n` });
      files.set(`/e${n}.tar.gz`, tgz);
      leases.push(await cache.acquire({ url: `${base}/e${n}.tar.gz`, digest: sha(tgz) }));
    }
    assert.equal(cache.size, 3);
    leases[0].release();
    leases[1].release();
    assert.equal(cache.size, 2, "one idle tree kept, the older one evicted");
    assert.ok(existsSync(leases[2].dir));
    leases[2].release();
    await cache.close();
  });

  test("normalizes digests", () => {
    assert.equal(normalizeDigest("abc123"), "sha256:abc123");
    assert.equal(normalizeDigest("sha512:abc123"), "sha512:abc123");
    assert.throws(() => normalizeDigest("md5:abc"), /unsupported digest algorithm/);
    assert.equal(normalizeDigest("blake3:abc123"), "blake3:abc123");
    assert.throws(() => normalizeDigest(""), /no digest/);
  });
});
