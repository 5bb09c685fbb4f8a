import type { GitRepository } from "../../api/source/git_repository.ts";
import { findCondition, markReconciling, removeCondition } from "../../runtime/status/conditions.ts";
import { hasFailures, sourceConditions as c } from "./source_conditions.ts";

/** Whether the last run failed (a success after it sends the recovery event). */
export function lastRunFailed(obj: GitRepository): boolean {
  return hasFailures(obj) || findCondition(obj, "Ready")?.status === "False";
}

/**
 * The start of a run: a failed verification is retried from scratch, a removed spec.verify drops
 * its status, and Reconciling says why this run happens (first run or a new generation).
 */
export function markProgressing(obj: GitRepository): void {
  if (findCondition(obj, c.sourceVerified)?.status === "False" || !obj.spec.verify) removeCondition(obj, c.sourceVerified);
  if (!obj.spec.verify) delete obj.status!.sourceVerificationMode;
  const ready = findCondition(obj, "Ready");
  if (!ready) markReconciling(obj, "reconciliation in progress");
  else if (ready.observedGeneration !== obj.metadata.generation) {
    markReconciling(obj, `processing object: new generation ${ready.observedGeneration ?? 0} -> ${obj.metadata.generation}`);
  }
}
