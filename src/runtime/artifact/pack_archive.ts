import { createReadStream } from "node:fs";
import { lstat, readdir, readFile, realpath, stat } from "node:fs/promises";
import { isAbsolute, join, relative, sep } from "node:path";
import { Transform, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import tar from "tar-stream";
import { type DigestAlgorithm, newHasher } from "./digest_algorithm.ts";

export interface PackArchiveOptions {
  /** Leaves out a path (posix, relative to the root; directories end with "/"). Ignored directories are not walked. */
  ignore?: (path: string, isDir: boolean) => boolean;
  /** Cap on the compressed output, in bytes. */
  maxBytes?: number;
  /** Cap on the bytes of all files read from the tree. */
  maxInputBytes?: number;
  /** Hash of the tar.gz in `digest` (--artifact-digest-algo); sha256 by default. */
  digestAlgorithm?: DigestAlgorithm;
}

export interface PackedArchive {
  /** `<algo>:<hex>` of the tar.gz (sha256 unless digestAlgorithm says otherwise). */
  digest: string;
  /** Bytes of the tar.gz. */
  size: number;
  files: number;
}

export type PackArchiveErrorCode = "SymlinkOutsideRoot" | "ArchiveTooLarge" | "TreeTooLarge";

/** Why a tree could not be packed; the message names the path or the limit at fault. */
export class PackArchiveError extends Error {
  readonly code: PackArchiveErrorCode;
  constructor(code: PackArchiveErrorCode, message: string) {
    super(message);
    this.name = "PackArchiveError";
    this.code = code;
  }
}

interface Entry {
  name: string;
  type: "file" | "directory";
  /** Where the bytes are read from (a symlink's target inside the root). */
  source: string;
  executable: boolean;
  size: number;
}

const fixedTime = new Date(0);
const smallFile = 1024 * 1024;
const readWindow = 8;

/**
 * Writes `root` as a deterministic tar.gz to `out`: entries sorted, timestamps zeroed, owners
 * cleared, modes normalised (0750 dirs, 0700 executables, 0600 files), so the same tree always
 * gives the same digest. Symlinks are packed as the file or directory they point to when that
 * lies inside the root; a link leading out of the root fails the pack. Special files are skipped.
 */
export async function packArchive(root: string, out: Writable, opts: PackArchiveOptions = {}): Promise<PackedArchive> {
  const rootReal = await realpath(root);
  const entries: Entry[] = [];
  let inputBytes = 0;
  const add = (e: Entry) => {
    entries.push(e);
    inputBytes += e.size;
    if (opts.maxInputBytes !== undefined && inputBytes > opts.maxInputBytes) {
      throw new PackArchiveError("TreeTooLarge", `the files to package exceed the limit of ${opts.maxInputBytes} bytes`);
    }
  };
  await walk(rootReal, rootReal, "", new Set([rootReal]), opts.ignore ?? (() => false), add);

  const pack = tar.pack();
  const algorithm = opts.digestAlgorithm ?? "sha256";
  const hash = newHasher(algorithm);
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (opts.maxBytes !== undefined && size > opts.maxBytes) {
        done(new PackArchiveError("ArchiveTooLarge", `the artifact exceeds the limit of ${opts.maxBytes} bytes`));
        return;
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const writing = pipeline(pack, coalesce(64 * 1024), createGzip({ level: 6, chunkSize: 64 * 1024 }), meter, out);
  // Small files are read a few ahead: each read is several threadpool round trips (open, stat,
  // read, close), and reading them one by one left the gzip stream waiting on the disk.
  const reads = new Map<number, Promise<Buffer>>();
  let readAhead = 0;
  const prefetch = (from: number) => {
    readAhead = Math.max(readAhead, from);
    while (readAhead < entries.length && readAhead < from + readWindow) {
      const e = entries[readAhead];
      if (e.type === "file" && e.size <= smallFile) {
        const read = readFile(e.source);
        read.catch(() => undefined);
        reads.set(readAhead, read);
      }
      readAhead++;
    }
  };
  const feeding = (async () => {
    for (const [i, e] of entries.entries()) {
      prefetch(i);
      const header = { name: e.name, mtime: fixedTime, uid: 0, gid: 0, uname: "", gname: "" };
      if (e.type === "directory") {
        await new Promise<void>((resolve, reject) =>
          pack.entry({ ...header, type: "directory", mode: 0o750 }, (err) => (err ? reject(err) : resolve())),
        );
        continue;
      }
      const fileHeader = { ...header, type: "file" as const, mode: e.executable ? 0o700 : 0o600, size: e.size };
      if (e.size <= smallFile) {
        // Small files in one read: far fewer stream hops than a read stream per file.
        const body = await reads.get(i)!;
        reads.delete(i);
        if (body.length !== e.size) throw new Error(`file '${e.name}' changed while it was packed`);
        await new Promise<void>((resolve, reject) => pack.entry(fileHeader, body, (err) => (err ? reject(err) : resolve())));
        continue;
      }
      await pipeline(createReadStream(e.source), pack.entry(fileHeader));
    }
    pack.finalize();
  })();
  try {
    await Promise.all([writing, feeding]);
  } catch (err) {
    pack.destroy();
    throw err;
  }
  return { digest: `${algorithm}:${hash.hex()}`, size, files: entries.filter((e) => e.type === "file").length };
}

/**
 * Joins the tar stream's small writes (a 512-byte header, a small body, its padding) into
 * blocks of about `size` bytes: every write into zlib is one round trip to the threadpool.
 */
function coalesce(size: number): Transform {
  let held: Buffer[] = [];
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      held.push(chunk);
      bytes += chunk.length;
      if (bytes >= size) {
        const block = Buffer.concat(held, bytes);
        held = [];
        bytes = 0;
        done(null, block);
        return;
      }
      done();
    },
    flush(done) {
      done(null, bytes > 0 ? Buffer.concat(held, bytes) : undefined);
    },
  });
}

async function walk(
  rootReal: string,
  dirReal: string,
  prefix: string,
  chain: Set<string>,
  ignore: (path: string, isDir: boolean) => boolean,
  add: (e: Entry) => void,
): Promise<void> {
  const names = (await readdir(dirReal)).sort(byteOrder);
  for (const name of names) {
    const rel = prefix + name;
    const abs = join(dirReal, name);
    const info = await lstat(abs);
    let source = abs;
    let target = info;
    if (info.isSymbolicLink()) {
      if (ignore(rel, false)) continue;
      const resolved = await realpath(abs).catch(() => undefined);
      if (resolved === undefined) continue; // dangling: nothing to package
      if (!inside(rootReal, resolved)) {
        throw new PackArchiveError(
          "SymlinkOutsideRoot",
          `symlink '${rel}' points outside the repository; leave it out with .sourceignore or spec.ignore`,
        );
      }
      source = resolved;
      target = await stat(resolved);
    }
    if (target.isDirectory()) {
      if (ignore(`${rel}/`, true)) continue;
      if (chain.has(source)) {
        throw new PackArchiveError("SymlinkOutsideRoot", `symlink '${rel}' forms a cycle`);
      }
      add({ name: `${rel}/`, type: "directory", source, executable: false, size: 0 });
      chain.add(source);
      await walk(rootReal, source, `${rel}/`, chain, ignore, add);
      chain.delete(source);
    } else if (target.isFile()) {
      if (ignore(rel, false)) continue;
      add({ name: rel, type: "file", source, executable: (target.mode & 0o111) !== 0, size: target.size });
    }
  }
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}
