import type { Condition, KubeObject } from "../api/meta.ts";

interface Observed {
  metadata: { generation?: number };
  status?: { conditions?: Condition[]; observedGeneration?: number; lastHandledReconcileAt?: string };
}

/** Where one object stands after a reconcile request: still going, ready, or failed (with why). */
export type ReconcileState =
  | { phase: "pending"; detail: string }
  | { phase: "ready"; message: string }
  | { phase: "failed"; reason: string; message: string };

/**
 * Reads the outcome of the reconcile that handled `token`. The runtime writes lastHandledReconcileAt
 * in the same status patch as the result, so once it matches, the conditions are that reconcile's.
 * A controller that is still working says so with Reconciling=True, so that keeps the wait going;
 * Reconciling=True with ProgressingWithRetry only means a failed attempt will be retried: that is a failure.
 */
export function reconcileState(obj: KubeObject, token: string | undefined): ReconcileState {
  const o = obj as unknown as Observed;
  const conditions = o.status?.conditions ?? [];
  const find = (type: string) => conditions.find((c) => c.type === type);
  const ready = find("Ready");
  const progress = find("Reconciling");
  if (token !== undefined && o.status?.lastHandledReconcileAt !== token) {
    return { phase: "pending", detail: "waiting for the controller to pick up the request" };
  }
  const current = o.metadata.generation === undefined || o.status?.observedGeneration === o.metadata.generation;
  if (!current) return { phase: "pending", detail: `waiting for generation ${o.metadata.generation} to be reconciled` };
  const stalled = find("Stalled");
  if (stalled?.status === "True") return { phase: "failed", reason: stalled.reason, message: stalled.message };
  if (progress?.status === "True" && progress.reason !== "ProgressingWithRetry") return { phase: "pending", detail: `${progress.reason}: ${progress.message}` };
  if (ready?.status === "True") return { phase: "ready", message: ready.message };
  if (ready?.status === "False") return { phase: "failed", reason: ready.reason, message: ready.message };
  return { phase: "pending", detail: ready ? `${ready.reason}: ${ready.message}` : "waiting to be reconciled" };
}
