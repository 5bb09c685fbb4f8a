import { ReconcileError } from "../../runtime/controller/reconciler.ts";
import {
  findCondition,
  type HasConditions,
  markFailed,
  markStalled,
  removeCondition,
  setCondition,
} from "../../runtime/status/conditions.ts";

/** Condition types of source objects (Flux's source API). */
export const sourceConditions = {
  artifactInStorage: "ArtifactInStorage",
  artifactOutdated: "ArtifactOutdated",
  fetchFailed: "FetchFailed",
  storageOperationFailed: "StorageOperationFailed",
  sourceVerified: "SourceVerified",
  includeUnavailable: "IncludeUnavailable",
} as const;

/** The failure conditions, in the order Ready takes its reason from them. */
const failureOrder = [
  sourceConditions.storageOperationFailed,
  sourceConditions.fetchFailed,
  sourceConditions.includeUnavailable,
  sourceConditions.artifactOutdated,
];

export type FailureCondition =
  | typeof sourceConditions.fetchFailed
  | typeof sourceConditions.storageOperationFailed
  | typeof sourceConditions.includeUnavailable
  | typeof sourceConditions.sourceVerified;

/**
 * Records a failure the way Flux summarises it: the failure condition is set (SourceVerified
 * goes False, the others True), Ready=False takes the reason and message of the most important
 * failure, and the ReconcileError to throw is returned. The artifact in status is left alone.
 */
export function sourceFailure(
  obj: HasConditions,
  type: FailureCondition,
  reason: string,
  message: string,
  opts: { stalled?: boolean; retryAfterMs?: number; cause?: unknown } = {},
): ReconcileError {
  setCondition(obj, type, type === sourceConditions.sourceVerified ? "False" : "True", reason, message);
  let top = { reason, message };
  const verified = findCondition(obj, sourceConditions.sourceVerified);
  if (verified?.status === "False") top = { reason: verified.reason, message: verified.message };
  else {
    for (const t of failureOrder) {
      const c = findCondition(obj, t);
      if (c?.status === "True") {
        top = { reason: c.reason, message: c.message };
        break;
      }
    }
  }
  if (opts.stalled) markStalled(obj, top.reason, top.message);
  else markFailed(obj, top.reason, top.message);
  return new ReconcileError(top.reason, top.message, opts);
}

/** Clears every failure condition after a successful run. */
export function clearFailures(obj: HasConditions): void {
  for (const t of failureOrder) removeCondition(obj, t);
}

/** Whether any failure condition is set (for the recovery event). */
export function hasFailures(obj: HasConditions): boolean {
  return failureOrder.some((t) => findCondition(obj, t)?.status === "True");
}
