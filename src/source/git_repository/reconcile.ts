import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDuration } from "../../api/duration.ts";
import { type GitRepository, gitRepositoryKind } from "../../api/source/git_repository.ts";
import type { Informer } from "../../runtime/cache/informer.ts";
import type { ReconcileContext, ReconcileResult } from "../../runtime/controller/reconciler.ts";
import { GitSession } from "../git/git_session.ts";
import { readAuth } from "./auth.ts";
import { checkout, markOutdated, resolveRef, upToDate } from "./checkout.ts";
import type { GitRepositoryDeps } from "./git_repository_deps.ts";
import { includeArtifacts, includedArtifacts } from "./includes.ts";
import { lastRunFailed, markProgressing } from "./progress.ts";
import { checkStorage } from "./storage.ts";
import { keepArtifact, storeArtifact } from "./artifact.ts";
import { verify, verifyMode } from "./verify.ts";

/**
 * One reconcile of a GitRepository, in Flux's order, under the lock of its storage directory:
 * 1. progress: a failed verification is retried, Reconciling says why this run happens;
 * 2. storage: the recorded artifact must still be there, whole; its URL follows the advertised address;
 * 3. auth: the auth and proxy Secrets, or the provider's credentials (within spec.timeout);
 * 4. includes: their paths checked and their artifacts resolved, before anything is fetched;
 * 5. ref (checkout.ts): one ref listing; a ref that has not moved, with unchanged content config, ends here;
 * 6. checkout: a shallow fetch into a temp dir;
 * 7. verify: the commit and/or tag signatures, with spec.verify;
 * 8. includes, again: copied into the checkout;
 * 9. artifact: packaged, stored atomically, recorded in status.artifact.
 * A failing step sets its condition and throws the ReconcileError of sourceFailure (Ready=False
 * with Flux's reason); the runtime writes the status once.
 */
export async function reconcileGitRepository(
  obj: GitRepository,
  ctx: ReconcileContext,
  deps: GitRepositoryDeps,
  repos: Informer<GitRepository>,
): Promise<ReconcileResult> {
  obj.status ??= {};
  const dir = deps.storage.dirOf(gitRepositoryKind.kind, obj.metadata.namespace!, obj.metadata.name!);
  const interval = parseDuration(obj.spec.interval);
  const failedBefore = lastRunFailed(obj);
  markProgressing(obj);

  return deps.storage.withLock(dir, async () => {
    const inStorage = await checkStorage(obj, ctx, deps, dir);
    const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(parseDuration(obj.spec.timeout ?? "60s"))]);
    const auth = await readAuth(obj, ctx, deps, signal);
    const includes = includedArtifacts(obj, repos, deps.flags.requeueDependencyMs);

    const session = await GitSession.open(obj.spec.url, auth, signal, { kex: deps.flags.sshKexAlgos, hostKey: deps.flags.sshHostKeyAlgos });
    const tmp = await mkdtemp(join(tmpdir(), "sluice-gitrepo-"));
    try {
      const remote = await resolveRef(obj, ctx, session);
      if (upToDate(obj, remote, inStorage, includes)) {
        await keepArtifact(obj, ctx, failedBefore);
        return { requeueAfterMs: interval };
      }
      markOutdated(obj, remote, includes);
      const src = join(tmp, "src");
      const mode = verifyMode(obj);
      const checkedOut = await checkout(obj, ctx, deps, session, remote, src, mode);
      if (mode) await verify(obj, ctx, session, src, checkedOut.fetched, mode);
      await includeArtifacts(obj, includes, deps.storage, src);
      await storeArtifact(obj, ctx, deps, dir, src, checkedOut, includes, failedBefore);
      return { requeueAfterMs: interval };
    } finally {
      await session.close();
      await rm(tmp, { recursive: true, force: true });
    }
  });
}
