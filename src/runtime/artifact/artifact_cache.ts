import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { request } from "undici";
import { type DigestAlgorithm, isDigestAlgorithm, newHasher } from "./digest_algorithm.ts";
import { ArchiveError, defaultExtractLimits, type ExtractLimits, extractArchive } from "./extract_archive.ts";

/** What a consumer needs to know of a source's artifact (status.artifact). */
export interface ArtifactRef {
  url: string;
  digest: string;
  revision?: string;
}

export type ArtifactFailure = "NotFound" | "DigestMismatch" | "Corrupt" | "TooLarge" | "Unreachable" | "Invalid";

/** A failed fetch; `failure` says which of the ways it can go wrong. */
export class ArtifactError extends Error {
  readonly failure: ArtifactFailure;
  constructor(failure: ArtifactFailure, message: string) {
    super(message);
    this.name = "ArtifactError";
    this.failure = failure;
  }
}

/** An extracted artifact held open; release it when done so it can be evicted. */
export interface ArtifactLease {
  dir: string;
  digest: string;
  release(): void;
}

export interface ArtifactCacheOptions {
  /** Folder owned by the cache; wiped on start. */
  root: string;
  limits?: ExtractLimits;
  /** Largest download accepted, in bytes. */
  maxDownloadBytes?: number;
  /** Unused extracted trees kept for later reconciles, newest first. */
  maxIdle?: number;
  /** Called once per download (metrics, tests). */
  onDownload?: (url: string) => void;
}

interface Entry {
  digest: string;
  dir: string;
  ready: Promise<void>;
  refs: number;
  lastUsed: number;
}


/**
 * Downloads and extracts source artifacts once per digest and shares the tree between every
 * consumer: a thousand Kustomizations on one source cost one download and one extraction.
 * Trees are reference-counted; idle ones are kept up to `maxIdle`, oldest evicted first.
 * A tree is immutable once extracted: consumers must not write into it.
 */
export class ArtifactCache {
  readonly #opts: Required<Omit<ArtifactCacheOptions, "onDownload">> & Pick<ArtifactCacheOptions, "onDownload">;
  readonly #entries = new Map<string, Entry>();
  #init: Promise<void> | undefined;
  downloads = 0;

  constructor(opts: ArtifactCacheOptions) {
    this.#opts = { limits: defaultExtractLimits, maxDownloadBytes: 1024 * 1024 * 1024, maxIdle: 16, ...opts };
  }

  /** The extracted tree of an artifact, downloading it if no consumer has yet. */
  async acquire(artifact: ArtifactRef, signal?: AbortSignal): Promise<ArtifactLease> {
    const digest = normalizeDigest(artifact.digest);
    this.#init ??= rm(this.#opts.root, { recursive: true, force: true }).then(() => mkdir(this.#opts.root, { recursive: true })).then(() => undefined);
    await this.#init;
    let entry = this.#entries.get(digest);
    if (!entry) {
      const dir = join(this.#opts.root, digest.replace(":", "-"));
      const created: Entry = { digest, dir, refs: 0, lastUsed: Date.now(), ready: Promise.resolve() };
      created.ready = this.#fetch(artifact.url, digest, dir, signal);
      created.ready.catch(() => {
        if (this.#entries.get(digest) === created) this.#entries.delete(digest);
      });
      this.#entries.set(digest, created);
      entry = created;
    }
    entry.refs++;
    try {
      await entry.ready;
    } catch (err) {
      entry.refs--;
      throw err;
    }
    let released = false;
    const held = entry;
    return {
      dir: entry.dir,
      digest,
      release: () => {
        if (released) return;
        released = true;
        held.refs--;
        held.lastUsed = Date.now();
        this.#evict();
      },
    };
  }

  /** Number of trees on disk (in use or idle). */
  get size(): number {
    return this.#entries.size;
  }

  async close(): Promise<void> {
    this.#entries.clear();
    await rm(this.#opts.root, { recursive: true, force: true });
  }

  #evict(): void {
    const idle = [...this.#entries.values()].filter((e) => e.refs === 0).sort((a, b) => b.lastUsed - a.lastUsed);
    for (const e of idle.slice(this.#opts.maxIdle)) {
      this.#entries.delete(e.digest);
      void rm(e.dir, { recursive: true, force: true });
    }
  }

  async #fetch(url: string, digest: string, dir: string, signal?: AbortSignal): Promise<void> {
    const tmp = join(this.#opts.root, `.download-${randomBytes(6).toString("hex")}`);
    const staging = `${dir}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      await this.#download(url, digest, tmp, signal);
      await mkdir(staging);
      try {
        await extractArchive(createReadStream(tmp), staging, this.#opts.limits);
      } catch (err) {
        if (err instanceof ArchiveError) throw new ArtifactError(/more than/.test(err.message) ? "TooLarge" : "Corrupt", `artifact ${url}: ${err.message}`);
        throw err;
      }
      await rename(staging, dir);
    } finally {
      await rm(tmp, { force: true });
      await rm(staging, { recursive: true, force: true });
    }
  }

  async #download(url: string, digest: string, file: string, signal?: AbortSignal): Promise<void> {
    const [algo, expected] = digest.split(":");
    const hash = newHasher(algo as DigestAlgorithm);
    this.downloads++;
    this.#opts.onDownload?.(url);
    let res;
    try {
      res = await request(url, { method: "GET", signal, headersTimeout: 60_000, bodyTimeout: 120_000 });
    } catch (err) {
      throw new ArtifactError("Unreachable", `failed to download artifact from ${url}: ${(err as Error).message}`);
    }
    if (res.statusCode === 404) {
      await res.body.dump();
      throw new ArtifactError("NotFound", `artifact not found at ${url} (HTTP 404)`);
    }
    if (res.statusCode >= 300) {
      await res.body.dump();
      throw new ArtifactError("Unreachable", `failed to download artifact from ${url}: HTTP ${res.statusCode}`);
    }
    let size = 0;
    const max = this.#opts.maxDownloadBytes;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > max) return done(new ArtifactError("TooLarge", `artifact ${url} is larger than ${max} bytes`));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(res.body, meter, createWriteStream(file));
    } catch (err) {
      if (err instanceof ArtifactError) throw err;
      throw new ArtifactError("Unreachable", `failed to download artifact from ${url}: ${(err as Error).message}`);
    }
    const actual = hash.hex();
    if (actual !== expected) {
      throw new ArtifactError("DigestMismatch", `artifact ${url} has digest ${algo}:${actual}, want ${digest}`);
    }
  }
}

/** `<algo>:<hex>` with algo sha256, sha384, sha512 or blake3; a bare hex digest is taken as sha256. */
export function normalizeDigest(digest: string): string {
  if (!digest) throw new ArtifactError("Invalid", "artifact has no digest");
  const colon = digest.indexOf(":");
  const [algo, hex] = colon < 0 ? ["sha256", digest] : [digest.slice(0, colon), digest.slice(colon + 1)];
  if (!isDigestAlgorithm(algo)) throw new ArtifactError("Invalid", `unsupported digest algorithm ${JSON.stringify(algo)} in ${digest}`);
  if (!/^[a-f0-9]+$/.test(hex)) throw new ArtifactError("Invalid", `malformed digest ${JSON.stringify(digest)}`);
  return `${algo}:${hex}`;
}
