import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, open, readdir, rename, rm, stat, unlink } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import type { Writable } from "node:stream";
import { isDigestAlgorithm, newHasher } from "../../runtime/artifact/digest_algorithm.ts";

export interface RetentionPolicy {
  /** Superseded artifacts older than this are removed (--artifact-retention-ttl). */
  ttlMs: number;
  /** At most this many superseded artifacts are kept (--artifact-retention-records). */
  records: number;
}

/** A path that would leave the storage root. */
export class StoragePathError extends Error {
  constructor(path: string) {
    super(`artifact path '${path}' is outside the storage root`);
    this.name = "StoragePathError";
  }
}

/**
 * Artifacts on disk under one root, laid out as <kind>/<namespace>/<name>/<file>. Writes are
 * atomic (temp file, fsync, rename, fsync of the directory), so a reader or a crash never sees
 * a torn file; writes and garbage collection for one object are serialised.
 */
export class ArtifactStorage {
  readonly root: string;
  readonly #retention: RetentionPolicy;
  readonly #locks = new Map<string, Promise<unknown>>();
  /** Digests of files already verified, keyed by path and invalidated by any change of stat. */
  readonly #verified = new Map<string, { stamp: string; digest: string }>();

  constructor(root: string, retention: RetentionPolicy) {
    this.root = root;
    this.#retention = retention;
  }

  /** The object's directory, relative to the root. */
  dirOf(kind: string, namespace: string, name: string): string {
    return [kind.toLowerCase(), namespace, name].join("/");
  }

  /** The absolute path of a stored file; refuses paths that climb out of the root. */
  abs(path: string): string {
    const full = join(this.root, path);
    const rel = relative(this.root, full);
    if (rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) throw new StoragePathError(path);
    return full;
  }

  /** Runs fn while holding the object's lock (one writer per object). */
  async withLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.#locks.get(dir) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.#locks.set(dir, tail);
    try {
      return await run;
    } finally {
      if (this.#locks.get(dir) === tail) this.#locks.delete(dir);
    }
  }

  /**
   * Writes a file atomically: `produce` streams into a temp file beside the target, which is
   * flushed and renamed into place only when produce succeeds; on failure nothing changes.
   */
  async write<T>(path: string, produce: (out: Writable) => Promise<T>): Promise<{ result: T; size: number }> {
    const target = this.abs(path);
    await mkdir(dirname(target), { recursive: true });
    const tmp = join(dirname(target), `.tmp-${randomBytes(6).toString("hex")}`);
    try {
      const out = createWriteStream(tmp, { flags: "wx", mode: 0o644, flush: true });
      const closed = new Promise<void>((resolve, reject) => {
        out.once("close", resolve);
        out.once("error", reject);
      });
      let result: T;
      try {
        result = await produce(out);
      } catch (err) {
        out.destroy();
        await closed.catch(() => undefined);
        throw err;
      }
      if (!out.writableEnded) out.end();
      await closed;
      await rename(tmp, target);
      await syncDir(dirname(target));
      const info = await stat(target);
      return { result, size: info.size };
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async exists(path: string): Promise<boolean> {
    return stat(this.abs(path)).then((s) => s.isFile(), () => false);
  }

  /**
   * Whether the stored file has this digest (`<algo>:<hex>`, sha256/384/512 or blake3). The file is hashed
   * once per change of its stat (inode, size, mtime), so an unchanged artifact costs one stat per
   * reconcile.
   */
  async verify(path: string, digest: string): Promise<boolean> {
    // The file is hashed with the algorithm it was recorded with, whatever --artifact-digest-algo says now.
    const algo = digest.slice(0, Math.max(digest.indexOf(":"), 0));
    if (!isDigestAlgorithm(algo)) return false;
    const full = this.abs(path);
    const info = await stat(full).catch(() => undefined);
    if (!info?.isFile()) return false;
    const stamp = `${algo}:${info.ino}:${info.size}:${info.mtimeMs}`;
    const known = this.#verified.get(full);
    if (known?.stamp === stamp) return known.digest === digest;
    const hash = newHasher(algo);
    for await (const chunk of createReadStream(full)) hash.update(chunk as Buffer);
    const actual = `${algo}:${hash.hex()}`;
    this.#verified.set(full, { stamp, digest: actual });
    return actual === digest;
  }

  /** Removes one stored file. */
  async remove(path: string): Promise<void> {
    const full = this.abs(path);
    this.#verified.delete(full);
    await rm(full, { force: true });
  }

  /**
   * Removes superseded files in `dir`: those older than the TTL, then the oldest beyond the
   * record count (which counts `keep`). `keep` (the current artifact) is never removed.
   * Returns the removed names.
   */
  async gc(dir: string, keep: string[]): Promise<string[]> {
    const full = this.abs(dir);
    const names = await readdir(full).catch(() => [] as string[]);
    const keepNames = new Set(keep.map((k) => k.split("/").pop()));
    const now = Date.now();
    const files: Array<{ name: string; mtime: number }> = [];
    for (const name of names.slice(0, 1000)) {
      if (keepNames.has(name)) continue;
      const info = await stat(join(full, name)).catch(() => undefined);
      if (info?.isFile()) files.push({ name, mtime: info.mtimeMs });
    }
    files.sort((a, b) => a.mtime - b.mtime);
    const doomed = files.filter((f) => now - f.mtime > this.#retention.ttlMs);
    const rest = files.filter((f) => now - f.mtime <= this.#retention.ttlMs);
    // The record count includes the kept (current) artifacts.
    while (rest.length > Math.max(this.#retention.records - keep.length, 0)) doomed.push(rest.shift()!);
    for (const f of doomed) {
      this.#verified.delete(join(full, f.name));
      await unlink(join(full, f.name)).catch(() => undefined);
    }
    return doomed.map((f) => f.name);
  }

  /** Removes an object's whole directory (on deletion). */
  async removeAll(dir: string): Promise<void> {
    const full = this.abs(dir);
    for (const key of this.#verified.keys()) if (key.startsWith(`${full}${sep}`)) this.#verified.delete(key);
    await rm(full, { recursive: true, force: true });
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
