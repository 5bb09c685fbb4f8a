import type { Condition } from "../../api/meta.ts";

export const ready = "Ready";
export const reconciling = "Reconciling";
export const stalled = "Stalled";

/** Reasons shared by every controller (Flux's meta package names). */
export const reasons = {
  succeeded: "Succeeded",
  failed: "Failed",
  progressing: "Progressing",
  progressingWithRetry: "ProgressingWithRetry",
  suspended: "Suspended",
  dependencyNotReady: "DependencyNotReady",
} as const;

export type ConditionStatus = Condition["status"];

export interface HasConditions {
  status?: { conditions?: Condition[]; observedGeneration?: number };
  metadata: { generation?: number };
}

export function findCondition(obj: HasConditions, type: string): Condition | undefined {
  return obj.status?.conditions?.find((c) => c.type === type);
}

export function isTrue(obj: HasConditions, type: string): boolean {
  return findCondition(obj, type)?.status === "True";
}

/**
 * Sets a condition; lastTransitionTime moves only when the status changes,
 * so an unchanged condition leaves the status byte-for-byte the same (and no patch is sent).
 */
export function setCondition(
  obj: HasConditions,
  type: string,
  status: ConditionStatus,
  reason: string,
  message: string,
  now: Date = new Date(),
): void {
  obj.status ??= {};
  const conditions = (obj.status.conditions ??= []);
  const existing = conditions.find((c) => c.type === type);
  const next: Condition = {
    type,
    status,
    reason,
    message: truncate(message),
    observedGeneration: obj.metadata.generation,
    lastTransitionTime:
      existing && existing.status === status ? existing.lastTransitionTime : now.toISOString().replace(/\.\d+Z$/, "Z"),
  };
  if (existing) Object.assign(existing, next);
  else conditions.push(next);
  conditions.sort((a, b) => conditionOrder(a.type) - conditionOrder(b.type));
}

export function removeCondition(obj: HasConditions, type: string): void {
  const conditions = obj.status?.conditions;
  if (!conditions) return;
  const i = conditions.findIndex((c) => c.type === type);
  if (i >= 0) conditions.splice(i, 1);
}

/** Ready=True, no Reconciling or Stalled. */
export function markReady(obj: HasConditions, reason: string, message: string): void {
  setCondition(obj, ready, "True", reason, message);
  removeCondition(obj, reconciling);
  removeCondition(obj, stalled);
}

/** Work has started: Reconciling=True, Ready=Unknown (kstatus InProgress). */
export function markReconciling(obj: HasConditions, message: string): void {
  setCondition(obj, reconciling, "True", reasons.progressing, message);
  setCondition(obj, ready, "Unknown", reasons.progressing, message);
}

/** A failure that will be retried: Ready=False, Reconciling stays with ProgressingWithRetry. */
export function markFailed(obj: HasConditions, reason: string, message: string): void {
  setCondition(obj, ready, "False", reason, message);
  if (findCondition(obj, reconciling)) setCondition(obj, reconciling, "True", reasons.progressingWithRetry, message);
  removeCondition(obj, stalled);
}

/** A failure that only a spec change can fix: Ready=False and Stalled=True, no retries. */
export function markStalled(obj: HasConditions, reason: string, message: string): void {
  setCondition(obj, ready, "False", reason, message);
  setCondition(obj, stalled, "True", reason, message);
  removeCondition(obj, reconciling);
}

const order = [ready, reconciling, stalled];
function conditionOrder(type: string): number {
  const i = order.indexOf(type);
  return i < 0 ? order.length : i;
}

function truncate(message: string): string {
  return message.length > 32_000 ? `${message.slice(0, 32_000)}…` : message;
}
