import { createWriteStream } from "node:fs";
import { lstat, mkdir, realpath, symlink } from "node:fs/promises";
import { dirname, isAbsolute, join, normalize, relative, sep } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import tar from "tar-stream";

/** Caps that keep a hostile or broken archive from filling the disk. */
export interface ExtractLimits {
  /** Total uncompressed bytes of all files. */
  maxBytes: number;
  /** Files, directories and links together. */
  maxEntries: number;
}

export const defaultExtractLimits: ExtractLimits = { maxBytes: 512 * 1024 * 1024, maxEntries: 100_000 };

/** Why an archive was refused; the message names the entry at fault. */
export class ArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ArchiveError";
  }
}

export interface ExtractResult {
  entries: number;
  bytes: number;
}

/**
 * Extracts a gzip-compressed tarball into `dest` (which must exist and be empty). Entries that
 * would land outside `dest` (absolute names, `..`), links whose target leaves `dest`, device
 * files and archives above the limits are refused with an ArchiveError. Symlinks are created
 * last, after every regular entry, so no file is ever written through one.
 */
export async function extractArchive(source: Readable, dest: string, limits: ExtractLimits = defaultExtractLimits): Promise<ExtractResult> {
  const root = await realpath(dest);
  const extract = tar.extract();
  const links: Array<{ path: string; target: string; name: string }> = [];
  let entries = 0;
  let bytes = 0;

  const consume = (async () => {
    for await (const entry of extract) {
      const h = entry.header;
      if (++entries > limits.maxEntries) throw new ArchiveError(`archive has more than ${limits.maxEntries} entries`);
      const path = entryPath(root, h.name);
      switch (h.type) {
        case "directory":
          if (path !== root) await mkdir(path, { recursive: true, mode: 0o755 });
          entry.resume();
          break;
        case "file":
        case "contiguous-file":
        case undefined:
        case null: {
          if (path === root) throw new ArchiveError(`archive entry ${JSON.stringify(h.name)} is not a file name`);
          await mkdir(dirname(path), { recursive: true, mode: 0o755 });
          entry.on("data", (chunk: unknown) => {
            bytes += (chunk as Buffer).length;
            if (bytes > limits.maxBytes) entry.destroy(new ArchiveError(`archive expands to more than ${limits.maxBytes} bytes`));
          });
          await pipeline(entry, createWriteStream(path, { flags: "wx", mode: (h.mode ?? 0o644) & 0o755 }));
          break;
        }
        case "symlink":
        case "link": {
          const target = h.linkname ?? "";
          if (isAbsolute(target)) throw new ArchiveError(`link ${JSON.stringify(h.name)} points to absolute path ${JSON.stringify(target)}`);
          const base = h.type === "symlink" ? dirname(path) : root;
          const resolved = join(base, target);
          if (!inside(root, resolved)) throw new ArchiveError(`link ${JSON.stringify(h.name)} points outside the archive: ${JSON.stringify(target)}`);
          links.push({ path, target: h.type === "symlink" ? target : relative(dirname(path), resolved), name: h.name });
          entry.resume();
          break;
        }
        default:
          throw new ArchiveError(`archive entry ${JSON.stringify(h.name)} has unsupported type ${h.type}`);
      }
    }
  })();

  try {
    await Promise.all([pipeline(source, createGunzip(), extract), consume]);
  } catch (err) {
    extract.destroy();
    source.destroy();
    if (err instanceof ArchiveError) throw err;
    throw new ArchiveError(`corrupt archive: ${(err as Error).message}`);
  }

  for (const link of links) {
    await mkdir(dirname(link.path), { recursive: true, mode: 0o755 });
    // The parent must be a real directory inside the root: a link inside a linked directory could climb out.
    const parent = await realpath(dirname(link.path));
    if (parent !== dirname(link.path)) throw new ArchiveError(`link ${JSON.stringify(link.name)} sits below another link`);
    if (await exists(link.path)) throw new ArchiveError(`link ${JSON.stringify(link.name)} replaces an existing entry`);
    await symlink(link.target, link.path);
  }
  for (const link of links) {
    const real = await realpath(link.path).catch(() => undefined);
    if (real !== undefined && !inside(root, real)) throw new ArchiveError(`link ${JSON.stringify(link.name)} resolves outside the archive`);
  }
  return { entries, bytes };
}

function entryPath(root: string, name: string): string {
  if (isAbsolute(name) || name.split(/[\\/]/).includes("..")) {
    throw new ArchiveError(`archive entry ${JSON.stringify(name)} escapes the extraction root`);
  }
  const path = join(root, normalize(name));
  if (!inside(root, path)) throw new ArchiveError(`archive entry ${JSON.stringify(name)} escapes the extraction root`);
  return path.endsWith(sep) ? path.slice(0, -1) : path;
}

/** Whether `path` is `root` or below it. */
export function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(() => true, () => false);
}
