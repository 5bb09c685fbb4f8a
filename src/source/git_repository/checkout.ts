import type { Artifact } from "../../api/meta.ts";
import type { GitRepository } from "../../api/source/git_repository.ts";
import type { ReconcileContext } from "../../runtime/controller/reconciler.ts";
import { markReconciling, removeCondition, setCondition } from "../../runtime/status/conditions.ts";
import { describeGitFailure } from "../git/git_failure.ts";
import type { CheckedOut, GitSession } from "../git/git_session.ts";
import { InvalidRefError, RefNotFoundError, type RemoteRef, revisionOf } from "../git/remote_ref.ts";
import { GitCommandError } from "../git/run_git.ts";
import { SemverRangeError } from "../git/semver_tag.ts";
import { contentConfigChanged } from "./content_config.ts";
import type { GitRepositoryDeps } from "./git_repository_deps.ts";
import { sourceConditions as c, sourceFailure } from "./source_conditions.ts";
import type { VerifyMode } from "./verify.ts";

/** The ref resolved on the remote: one ref listing, no clone yet. */
export async function resolveRef(obj: GitRepository, ctx: ReconcileContext, session: GitSession): Promise<RemoteRef> {
  try {
    return await session.resolve(obj.spec.ref);
  } catch (err) {
    throw fetchFailure(obj, ctx, err, session.url);
  }
}

/**
 * Whether the stored artifact is still what a checkout would give: it is in storage, the ref has
 * not moved, and nothing else that shapes the content changed. Then the run ends without a clone.
 */
export function upToDate(obj: GitRepository, remote: RemoteRef, inStorage: boolean, includes: Artifact[]): boolean {
  return inStorage && obj.status?.artifact?.revision === revisionOf(remote) && !contentConfigChanged(obj, includes);
}

/** Why an artifact is built: ArtifactOutdated (a new revision or changed includes) and Reconciling. */
export function markOutdated(obj: GitRepository, remote: RemoteRef, includes: Artifact[]): void {
  const revision = revisionOf(remote);
  const previous = obj.status?.artifact;
  const included = obj.status?.includedArtifacts;
  if (previous && previous.revision !== revision) {
    setCondition(obj, c.artifactOutdated, "True", "NewRevision", `new upstream revision '${revision}'`);
    markReconciling(obj, `building artifact: new upstream revision '${revision}'`);
  } else if (previous && included && JSON.stringify(included.map(pin)) !== JSON.stringify(includes.map(pin))) {
    setCondition(obj, c.artifactOutdated, "True", "IncludeChange", "included artifacts differ from last observed includes");
    markReconciling(obj, "building artifact");
  } else if (!previous) {
    markReconciling(obj, "building artifact");
  }
}

/** A checked-out commit: the resolved ref with the fetched commit, and that commit's subject. */
export interface CheckedOutRef {
  fetched: RemoteRef;
  subject: string;
}

/**
 * The checkout step: a shallow fetch of the resolved ref into src (keeping the tag object when a
 * tag signature is to be verified), within --git-max-clone-bytes.
 */
export async function checkout(
  obj: GitRepository,
  ctx: ReconcileContext,
  deps: GitRepositoryDeps,
  session: GitSession,
  remote: RemoteRef,
  src: string,
  mode: VerifyMode | undefined,
): Promise<CheckedOutRef> {
  let checkedOut: CheckedOut;
  try {
    checkedOut = await session.checkout(remote, src, {
      keepTag: mode === "Tag" || mode === "TagAndHEAD",
      sparseCheckout: obj.spec.sparseCheckout,
      recurseSubmodules: obj.spec.recurseSubmodules,
      maxBytes: deps.flags.gitMaxCloneBytes,
    });
  } catch (err) {
    throw fetchFailure(obj, ctx, err, session.url);
  }
  removeCondition(obj, c.fetchFailed);
  removeCondition(obj, c.storageOperationFailed);
  return { fetched: { ...remote, commit: checkedOut.commit }, subject: checkedOut.subject };
}

function pin(a: Artifact): string {
  return `${a.revision}|${a.digest}`;
}

/** FetchFailed for a git failure; a bad ref stalls, a timeout names spec.timeout (not when the run itself was cancelled). */
function fetchFailure(obj: GitRepository, ctx: ReconcileContext, err: unknown, url: string) {
  const timeout = ctx.signal.aborted ? undefined : obj.spec.timeout ?? "60s";
  if (err instanceof InvalidRefError || err instanceof SemverRangeError) {
    return sourceFailure(obj, c.fetchFailed, "GitOperationFailed", `failed to checkout and determine revision: ${err.message}`, { stalled: true });
  }
  const timedOut = err instanceof GitCommandError && err.aborted && timeout !== undefined;
  const detail = timedOut
    ? `'${url}' did not answer within spec.timeout (${timeout})`
    : err instanceof RefNotFoundError
      ? err.message
      : describeGitFailure(err, url);
  return sourceFailure(obj, c.fetchFailed, "GitOperationFailed", `failed to checkout and determine revision: ${detail}`);
}
