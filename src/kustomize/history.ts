import { createHash } from "node:crypto";
import type { KustomizationSnapshot } from "../api/kustomize/history.ts";
import type { Kustomization } from "../api/kustomize/kustomization.ts";
import { formatDuration } from "../api/duration.ts";

/** How many distinct (build, outcome) snapshots status.history keeps, as Flux. */
export const historyLimit = 5;

/** The digest of a build's objects, as recorded in status.history. */
export function buildDigest(objects: readonly object[]): string {
  const hash = createHash("sha256");
  for (const o of objects) hash.update(JSON.stringify(o)).update("\n");
  return `sha256:${hash.digest("hex")}`;
}

export interface ReconcileOutcome {
  digest: string;
  /** The Ready reason of the outcome: ReconciliationSucceeded, HealthCheckFailed, PruneFailed… */
  status: string;
  revision: string;
  originRevision?: string;
  startedAt: Date;
  finishedAt: Date;
}

/**
 * Records an outcome in status.history: the snapshot with the same digest and status moves to the
 * front with its count and times updated; a new one is prepended; at most `historyLimit` are kept.
 */
export function recordHistory(ks: Kustomization, outcome: ReconcileOutcome): void {
  const history = ks.status?.history ?? [];
  const at = outcome.finishedAt.toISOString().replace(/\.\d+Z$/, "Z");
  const metadata: Record<string, string> = { revision: outcome.revision };
  if (outcome.originRevision) metadata.originRevision = outcome.originRevision;
  const i = history.findIndex((s) => s.digest === outcome.digest && s.lastReconciledStatus === outcome.status);
  const before = i >= 0 ? history[i] : undefined;
  const snapshot: KustomizationSnapshot = {
    digest: outcome.digest,
    firstReconciled: before?.firstReconciled ?? at,
    lastReconciled: at,
    lastReconciledDuration: formatDuration(Math.max(0, Math.round(outcome.finishedAt.getTime() - outcome.startedAt.getTime()))),
    lastReconciledStatus: outcome.status,
    metadata,
    totalReconciliations: (before?.totalReconciliations ?? 0) + 1,
  };
  const rest = history.filter((_, j) => j !== i);
  ks.status = { ...ks.status, history: [snapshot, ...rest].slice(0, historyLimit) };
}
