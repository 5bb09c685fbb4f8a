import { cp, mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { createReadStream } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, normalize, relative, sep } from "node:path";
import type { GitRepository, GitRepositoryInclude } from "../../api/source/git_repository.ts";
import type { Artifact } from "../../api/meta.ts";
import type { Informer } from "../../runtime/cache/informer.ts";
import { extractArchive } from "../../runtime/artifact/extract_archive.ts";
import { removeCondition } from "../../runtime/status/conditions.ts";
import { ReasonedError } from "../reasoned_error.ts";
import type { ArtifactStorage } from "../storage/artifact_storage.ts";
import { sourceConditions as c, sourceFailure } from "./source_conditions.ts";

/** An include that cannot be used yet (Flux's IncludeUnavailable reasons). */
export class IncludeUnavailableError extends ReasonedError<"NotFound" | "NoArtifact"> {}

/** An include that cannot be copied (Flux's StorageOperationFailed reasons). */
export class IncludeCopyError extends ReasonedError<"IllegalPath" | "CopyFailure"> {}

/**
 * The include step, before anything is fetched: the include paths are checked (one leaving its
 * tree stalls with StorageOperationFailed) and the included artifacts resolved, in spec order
 * (one not there yet is IncludeUnavailable, retried after --requeue-dependency).
 */
export function includedArtifacts(obj: GitRepository, repos: Informer<GitRepository>, requeueDependencyMs: number): Artifact[] {
  try {
    checkIncludePaths(obj.spec.include ?? []);
  } catch (err) {
    const e = err as IncludeCopyError;
    throw sourceFailure(obj, c.storageOperationFailed, e.reason, e.message, { stalled: true });
  }
  try {
    const includes = resolveIncludes(obj, repos);
    removeCondition(obj, c.includeUnavailable);
    return includes;
  } catch (err) {
    if (!(err instanceof IncludeUnavailableError)) throw err;
    throw sourceFailure(obj, c.includeUnavailable, err.reason, err.message, { retryAfterMs: requeueDependencyMs });
  }
}

/** The include step after the checkout: the included artifacts copied in (a failure is StorageOperationFailed). */
export async function includeArtifacts(obj: GitRepository, includes: Artifact[], storage: ArtifactStorage, src: string): Promise<void> {
  try {
    await copyIncludes(obj.spec.include ?? [], includes, storage, src);
  } catch (err) {
    if (err instanceof IncludeCopyError) throw sourceFailure(obj, c.storageOperationFailed, err.reason, err.message);
    throw err;
  }
}

/** The artifacts of spec.include, in spec order, read from the GitRepository cache. */
export function resolveIncludes(obj: GitRepository, repos: Informer<GitRepository>): Artifact[] {
  const ns = obj.metadata.namespace;
  return (obj.spec.include ?? []).map((inc) => {
    const name = inc.repository.name;
    const other = repos.get(ns, name);
    if (!other) throw new IncludeUnavailableError("NotFound", `could not get resource for include '${name}': GitRepository '${ns}/${name}' not found`);
    const artifact = other.status?.artifact;
    if (!artifact) throw new IncludeUnavailableError("NoArtifact", `no artifact available for include '${name}': GitRepository '${ns}/${name}' has none yet`);
    return artifact;
  });
}

/** Checks toPath and fromPath before anything is fetched: neither may leave its tree. */
export function checkIncludePaths(includes: GitRepositoryInclude[]): void {
  for (const inc of includes) {
    for (const [field, value] of [["toPath", inc.toPath], ["fromPath", inc.fromPath]] as const) {
      if (value !== undefined && escapes(value)) {
        throw new IncludeCopyError("IllegalPath", `include '${inc.repository.name}': ${field} '${value}' points outside the artifact`);
      }
    }
  }
}

/**
 * Copies each included artifact's fromPath subtree to toPath (default: the repository name)
 * in the checkout, overwriting files of the same name.
 */
export async function copyIncludes(includes: GitRepositoryInclude[], artifacts: Artifact[], storage: ArtifactStorage, dest: string): Promise<void> {
  checkIncludePaths(includes);
  for (const [i, inc] of includes.entries()) {
    const name = inc.repository.name;
    const scratch = await mkdtemp(join(tmpdir(), "sluice-include-"));
    try {
      await extractArchive(createReadStream(storage.abs(artifacts[i].path)), scratch).catch((err: unknown) => {
        throw new IncludeCopyError("CopyFailure", `include '${name}': cannot read its artifact: ${(err as Error).message}`);
      });
      const from = join(scratch, normalize(inc.fromPath ?? "."));
      const info = await stat(from).catch(() => undefined);
      if (!info) throw new IncludeCopyError("CopyFailure", `include '${name}': fromPath '${inc.fromPath}' does not exist in its artifact`);
      const to = join(dest, normalize(inc.toPath ?? name));
      await mkdir(join(to, ".."), { recursive: true });
      await cp(from, to, { recursive: true, force: true, verbatimSymlinks: true });
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
}

function escapes(path: string): boolean {
  if (isAbsolute(path)) return true;
  const rel = relative("/root", join("/root", path));
  return rel === ".." || rel.startsWith(`..${sep}`);
}
