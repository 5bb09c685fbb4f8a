import type { Artifact } from "../../api/meta.ts";
import type { GitRepository } from "../../api/source/git_repository.ts";
import { PackArchiveError, packArchive } from "../../runtime/artifact/pack_archive.ts";
import type { ReconcileContext } from "../../runtime/controller/reconciler.ts";
import { markReady, setCondition } from "../../runtime/status/conditions.ts";
import { revisionOf } from "../git/remote_ref.ts";
import { loadSourceIgnore } from "../ignore/source_ignore.ts";
import type { CheckedOutRef } from "./checkout.ts";
import type { GitRepositoryDeps } from "./git_repository_deps.ts";
import { clearFailures, sourceConditions as c, sourceFailure } from "./source_conditions.ts";

/**
 * The artifact step: the checkout in src packaged (spec.ignore applied, within
 * --artifact-max-bytes), stored atomically in dir, and recorded in status.artifact with what it
 * was built from; older artifacts are collected. NewArtifact is sent when the artifact changed,
 * Succeeded when it did not but the last run failed.
 */
export async function storeArtifact(
  obj: GitRepository,
  ctx: ReconcileContext,
  deps: GitRepositoryDeps,
  dir: string,
  src: string,
  { fetched, subject }: CheckedOutRef,
  includes: Artifact[],
  failedBefore: boolean,
): Promise<void> {
  const { storage } = deps;
  const status = obj.status!;
  const previous = status.artifact;
  const revision = revisionOf(fetched);
  const path = `${dir}/${fetched.commit}.tar.gz`;
  let packed: Awaited<ReturnType<typeof packArchive>>;
  let size: number;
  try {
    const ignore = await loadSourceIgnore(src, obj.spec.ignore);
    const written = await storage.write(path, (out) =>
      packArchive(src, out, {
        ignore,
        maxBytes: deps.flags.artifactMaxBytes,
        maxInputBytes: deps.flags.gitMaxCloneBytes,
        digestAlgorithm: deps.flags.artifactDigestAlgo,
      }),
    );
    packed = written.result;
    size = written.size;
  } catch (err) {
    if (err instanceof PackArchiveError) {
      const reason = err.code === "SymlinkOutsideRoot" ? "IllegalPath" : "ArchiveOperationFailed";
      throw sourceFailure(obj, c.storageOperationFailed, reason, `unable to archive revision '${revision}': ${err.message}`, { stalled: false });
    }
    throw sourceFailure(obj, c.storageOperationFailed, "ArchiveOperationFailed", `unable to archive revision '${revision}': ${(err as Error).message}`);
  }
  const artifact: Artifact = {
    digest: packed.digest,
    lastUpdateTime: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    path,
    revision,
    size,
    url: deps.server.urlOf(path),
  };
  const changed = previous?.digest !== artifact.digest || previous?.revision !== artifact.revision;
  status.artifact = changed ? artifact : { ...artifact, lastUpdateTime: previous!.lastUpdateTime };
  recordObserved(obj, includes);
  const message = markStored(obj, revision);
  await storage.gc(dir, [path]).catch(() => undefined);
  const meta = { revision: artifact.revision, digest: artifact.digest };
  if (changed) await ctx.event("Normal", "NewArtifact", `stored artifact for commit '${subjectOf(subject)}'`, meta);
  else if (failedBefore) await ctx.event("Normal", "Succeeded", message, meta);
}

/**
 * The artifact step when the stored artifact is up to date (see upToDate): it stays as it is,
 * Ready for its revision; Succeeded is sent when the last run failed.
 */
export async function keepArtifact(obj: GitRepository, ctx: ReconcileContext, failedBefore: boolean): Promise<void> {
  const { revision, digest } = obj.status!.artifact!;
  const message = markStored(obj, revision);
  if (failedBefore) await ctx.event("Normal", "Succeeded", message, { revision, digest });
}

/** Success: the failure conditions cleared, ArtifactInStorage and Ready for the revision. Returns their message. */
export function markStored(obj: GitRepository, revision: string): string {
  const message = `stored artifact for revision '${revision}'`;
  clearFailures(obj);
  setCondition(obj, c.artifactInStorage, "True", "Succeeded", message);
  markReady(obj, "Succeeded", message);
  return message;
}

function subjectOf(subject: string): string {
  return subject.length > 50 ? `${subject.slice(0, 50)}...` : subject;
}

/** What the artifact was built from, so that an unmoved ref with the same inputs needs no clone next time. */
function recordObserved(obj: GitRepository, includes: Artifact[]): void {
  const status = obj.status!;
  const spec = obj.spec;
  setOrDelete(status, "observedIgnore", spec.ignore);
  setOrDelete(status, "observedRecurseSubmodules", spec.recurseSubmodules || undefined);
  setOrDelete(status, "observedSparseCheckout", spec.sparseCheckout?.length ? spec.sparseCheckout : undefined);
  setOrDelete(status, "observedInclude", spec.include?.length ? spec.include : undefined);
  setOrDelete(status, "includedArtifacts", includes.length ? includes : undefined);
}

function setOrDelete<T extends object, K extends keyof T>(o: T, k: K, v: T[K] | undefined): void {
  if (v === undefined) delete o[k];
  else o[k] = v;
}
