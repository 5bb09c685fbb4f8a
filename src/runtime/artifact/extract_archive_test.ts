import assert from "node:assert/strict";
import { mkdtemp, readFile, readlink, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import tar from "tar-stream";
import { ArchiveError, extractArchive } from "./extract_archive.ts";

interface Entry {
  name: string;
  type?: "file" | "directory" | "symlink" | "link" | "fifo";
  body?: string;
  linkname?: string;
}

async function tarball(entries: Entry[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) pack.entry({ name: e.name, type: e.type ?? "file", linkname: e.linkname }, e.body ?? "");
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return gzipSync(Buffer.concat(chunks));
}

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function extract(entries: Entry[] | Buffer, limits?: { maxBytes: number; maxEntries: number }) {
  const dir = await mkdtemp(join(tmpdir(), "extract-test-"));
  dirs.push(dir);
  const data = Buffer.isBuffer(entries) ? entries : await tarball(entries);
  const result = await extractArchive(Readable.from([data]), dir, limits);
  return { dir, result };
}

describe("extractArchive", () => {
  test("extracts files, directories and links that stay inside", async () => {
    const { dir, result } = await extract([
      { name: "apps/", type: "directory" },
      { name: "apps/deploy.yaml", body: "kind: Deployment\n" },
      { name: "./base/kustomization.yaml", body: "resources: []\n" },
      { name: "apps/link.yaml", type: "symlink", linkname: "deploy.yaml" },
      { name: "apps/hard.yaml", type: "link", linkname: "apps/deploy.yaml" },
    ]);
    assert.equal(await readFile(join(dir, "apps/deploy.yaml"), "utf8"), "kind: Deployment\n");
    assert.equal(await readFile(join(dir, "base/kustomization.yaml"), "utf8"), "resources: []\n");
    assert.equal(await readlink(join(dir, "apps/link.yaml")), "deploy.yaml");
    assert.equal(await readFile(join(dir, "apps/hard.yaml"), "utf8"), "kind: Deployment\n");
    assert.equal(result.entries, 5);
  });

  test("refuses ../ escapes and absolute names", async () => {
    await assert.rejects(extract([{ name: "../evil.yaml", body: "x" }]), ArchiveError);
    await assert.rejects(extract([{ name: "a/../../evil.yaml", body: "x" }]), /escapes the extraction root/);
    await assert.rejects(extract([{ name: "/etc/evil.yaml", body: "x" }]), /escapes the extraction root/);
  });

  test("refuses links that leave the root", async () => {
    await assert.rejects(extract([{ name: "a/link", type: "symlink", linkname: "../../etc/passwd" }]), /points outside the archive/);
    await assert.rejects(extract([{ name: "link", type: "symlink", linkname: "/etc/passwd" }]), /absolute path/);
    await assert.rejects(extract([{ name: "hard", type: "link", linkname: "../secret" }]), /points outside the archive/);
  });

  test("refuses a link placed below another link (chained escape)", async () => {
    await assert.rejects(
      extract([
        { name: "x", type: "symlink", linkname: "." },
        { name: "x/y", type: "symlink", linkname: "../z" },
      ]),
      /below another link/,
    );
  });

  test("enforces the size and entry caps", async () => {
    await assert.rejects(extract([{ name: "big", body: "x".repeat(2000) }], { maxBytes: 1000, maxEntries: 10 }), /more than 1000 bytes/);
    const many = Array.from({ length: 11 }, (_, i) => ({ name: `f${i}`, body: "x" }));
    await assert.rejects(extract(many, { maxBytes: 1000, maxEntries: 10 }), /more than 10 entries/);
  });

  test("refuses device files and fifos", async () => {
    await assert.rejects(extract([{ name: "pipe", type: "fifo" }]), /unsupported type fifo/);
  });

  test("reports a corrupt archive", async () => {
    await assert.rejects(extract(Buffer.from("not a gzip stream at all")), /corrupt archive/);
    const good = await tarball([{ name: "a.yaml", body: "x".repeat(5000) }]);
    await assert.rejects(extract(good.subarray(0, good.length - 20)), /corrupt archive/);
  });
});
