import type { GitRepository } from "../../api/source/git_repository.ts";
import type { ReconcileContext } from "../../runtime/controller/reconciler.ts";
import { markReconciling, removeCondition } from "../../runtime/status/conditions.ts";
import type { GitRepositoryDeps } from "./git_repository_deps.ts";
import { sourceConditions as c } from "./source_conditions.ts";

/**
 * The storage step: the recorded artifact must still be there, whole (its URL then follows the
 * advertised address and older artifacts are collected); one that is missing or does not match
 * its digest is dropped from status, to be rebuilt. Returns whether the recorded artifact is in storage.
 */
export async function checkStorage(obj: GitRepository, ctx: ReconcileContext, deps: GitRepositoryDeps, dir: string): Promise<boolean> {
  const { storage } = deps;
  const status = obj.status!;
  if (!status.artifact) return false;
  const inStorage = await storage.verify(status.artifact.path, status.artifact.digest).catch(() => false);
  if (inStorage) {
    status.artifact.url = deps.server.urlOf(status.artifact.path);
    await storage.gc(dir, [status.artifact.path]).catch(() => undefined);
    return true;
  }
  if (await storage.exists(status.artifact.path).catch(() => false)) {
    await storage.remove(status.artifact.path);
    await ctx.event("Warning", "ArtifactVerificationFailed", `stored artifact '${status.artifact.path}' does not match digest ${status.artifact.digest}; rebuilding`);
  }
  delete status.artifact;
  removeCondition(obj, c.artifactInStorage);
  markReconciling(obj, "building artifact: disappeared from storage");
  return false;
}
