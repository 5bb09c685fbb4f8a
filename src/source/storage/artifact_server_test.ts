import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { request } from "undici";
import { ArtifactServer } from "./artifact_server.ts";

test("serves files with Content-Length, ETag and HEAD, and refuses paths outside the store", async () => {
  const root = await mkdtemp(join(tmpdir(), "serve-"));
  await mkdir(join(root, "gitrepository/ns/a"), { recursive: true });
  await writeFile(join(root, "gitrepository/ns/a/x.tar.gz"), "artifact");
  await writeFile(join(root, "gitrepository/ns/a/.tmp-123"), "partial");
  await symlink("/etc/hostname", join(root, "gitrepository/ns/a/evil"));
  const server = new ArtifactServer({ root, addr: "127.0.0.1:0" });
  await server.start();
  try {
    const base = server.baseUrl();
    assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(base, "http://127.0.0.1:0");
    const get = await request(server.urlOf("gitrepository/ns/a/x.tar.gz"));
    assert.equal(get.statusCode, 200);
    assert.equal(get.headers["content-length"], "8");
    assert.equal(await get.body.text(), "artifact");
    const etag = String(get.headers.etag);
    const again = await request(`${base}/gitrepository/ns/a/x.tar.gz`, { headers: { "if-none-match": etag } });
    assert.equal(again.statusCode, 304);
    await again.body.dump();
    const head = await request(`${base}/gitrepository/ns/a/x.tar.gz`, { method: "HEAD" });
    assert.equal(head.statusCode, 200);
    assert.equal(head.headers["content-length"], "8");
    await head.body.dump();
    for (const bad of ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/gitrepository/ns/a/.tmp-123", "/gitrepository/ns/a/evil", "/gitrepository/ns/a/missing"]) {
      const res = await request(`${base}${bad}`);
      assert.equal(res.statusCode, 404, bad);
      await res.body.dump();
    }
    const post = await request(`${base}/gitrepository/ns/a/x.tar.gz`, { method: "POST" });
    assert.equal(post.statusCode, 405);
    await post.body.dump();
  } finally {
    await server.stop();
    await rm(root, { recursive: true });
  }
});
