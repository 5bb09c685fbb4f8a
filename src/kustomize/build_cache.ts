import { spawn } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import type { KubeObject } from "../api/meta.ts";

export interface BuildCacheOptions {
  /** Folder for generated overlays; wiped on first use. */
  root: string;
  kustomizeBinary: string;
  /** Distinct builds kept in memory. */
  maxEntries?: number;
  /** kustomize processes at once. */
  maxConcurrent?: number;
}

/** kustomize failed; the message is kustomize's own error. */
export class KustomizeError extends Error {}

/**
 * Runs kustomize and remembers the result by build inputs (artifact digest, path and the spec
 * fields of the overlay): kustomize is a pure function of them, so a fleet of Kustomizations
 * building the same path of one artifact runs kustomize once. Each caller gets its own copy.
 */
export class BuildCache {
  readonly #opts: Required<BuildCacheOptions>;
  readonly #results = new Map<string, Promise<KubeObject[]>>();
  #running = 0;
  readonly #waiting: Array<() => void> = [];
  #init: Promise<void> | undefined;
  /** kustomize runs so far (tests, benchmarks). */
  runs = 0;

  constructor(opts: BuildCacheOptions) {
    this.#opts = { maxEntries: 256, maxConcurrent: 2, ...opts };
  }

  /**
   * The objects built for `key`; on a miss `overlay(dir)` writes nothing itself but returns the
   * kustomization to build in `dir` (or undefined for an empty build).
   */
  async build(key: string, overlay: (dir: string) => Promise<Record<string, unknown> | undefined>, timeoutMs: number): Promise<KubeObject[]> {
    let result = this.#results.get(key);
    if (result) {
      // Refresh recency.
      this.#results.delete(key);
      this.#results.set(key, result);
    } else {
      result = this.#run(key, overlay, timeoutMs);
      this.#results.set(key, result);
      result.catch(() => this.#results.delete(key));
      while (this.#results.size > this.#opts.maxEntries) this.#results.delete(this.#results.keys().next().value!);
    }
    return structuredClone(await result);
  }

  async #run(key: string, overlay: (dir: string) => Promise<Record<string, unknown> | undefined>, timeoutMs: number): Promise<KubeObject[]> {
    this.#init ??= rm(this.#opts.root, { recursive: true, force: true }).then(() => undefined);
    await this.#init;
    const dir = join(this.#opts.root, key);
    const kustomization = await overlay(dir);
    if (!kustomization) return [];
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "kustomization.yaml"), stringify(kustomization));
    await this.#acquire();
    try {
      this.runs++;
      const out = await runKustomize(this.#opts.kustomizeBinary, dir, timeoutMs);
      return parseObjects(out);
    } finally {
      this.#release();
      await rm(dir, { recursive: true, force: true });
    }
  }

  async #acquire(): Promise<void> {
    if (this.#running < this.#opts.maxConcurrent) {
      this.#running++;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#running--;
  }
}

function runKustomize(binary: string, dir: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ["build", dir, "--load-restrictor", "LoadRestrictionsNone"], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir },
    });
    const out: Buffer[] = [];
    let err = "";
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-20_000)));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new KustomizeError(`cannot run kustomize (${binary}): ${e.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(Buffer.concat(out).toString("utf8"));
      if (signal === "SIGKILL") return reject(new KustomizeError(`kustomize build timed out after ${timeoutMs}ms`));
      reject(new KustomizeError(err.trim().replace(/^Error: /, "") || `kustomize exited with code ${code}`));
    });
  });
}

function parseObjects(yamlText: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const doc of parseAllDocuments(yamlText)) {
    if (doc.errors.length) throw new KustomizeError(`kustomize produced invalid YAML: ${doc.errors[0].message}`);
    const obj = doc.toJS() as KubeObject | null;
    if (!obj) continue;
    if (!obj.apiVersion || !obj.kind || !obj.metadata?.name) {
      throw new KustomizeError(`failed to decode Kubernetes apiVersion, kind and name from: ${JSON.stringify(obj).slice(0, 200)}`);
    }
    objects.push(obj);
  }
  return objects;
}
