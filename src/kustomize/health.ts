import type { Kustomization } from "../api/kustomize/kustomization.ts";
import { formatDuration } from "../api/duration.ts";
import type { ChangeSetEntry } from "../runtime/apply/apply_set.ts";
import { ReconcileError, type ReconcileContext } from "../runtime/controller/reconciler.ts";
import type { CelHealth } from "../runtime/health/cel_health.ts";
import { computeStatus } from "../runtime/health/compute_status.ts";
import { HealthCheckError, waitForSet } from "../runtime/health/wait_for_set.ts";
import { findCondition, removeCondition, setCondition } from "../runtime/status/conditions.ts";
import { splitApiVersion } from "../runtime/kube/resource_ref.ts";
import { targetsOf } from "./health_targets.ts";
import { healthy, ksReasons } from "./reasons.ts";
import type { ClusterTarget } from "./target_cluster.ts";

/**
 * With wait (every applied object) or healthChecks (the named ones), waits until they are
 * healthy, woken by their watches on the target cluster. A failure's message names each unhealthy
 * object and why; an object the impersonated service account may not get fails at once, named.
 */
export async function checkHealth(
  ks: Kustomization,
  changeSet: ChangeSetEntry[],
  ctx: ReconcileContext,
  target: ClusterTarget,
  timeoutMs: number,
  celHealth: CelHealth,
): Promise<void> {
  const ns = ks.metadata.namespace!;
  const applied = new Set(changeSet.filter((e) => e.action !== "skipped").map((e) => e.id));
  let candidates: Array<{ namespace: string; name: string; group: string; version: string; kind: string; resourceVersion?: string }>;
  if (ks.spec.wait) candidates = changeSet.filter((e) => e.action !== "skipped");
  else {
    candidates = (ks.spec.healthChecks ?? []).map((h) => ({
      ...splitApiVersion(h.apiVersion || "apps/v1"),
      kind: h.kind,
      name: h.name,
      namespace: h.namespace ?? ns,
    }));
  }
  candidates = candidates.filter((c) => !(c.group === "kustomize.toolkit.fluxcd.io" && c.kind === "Kustomization" && c.name === ks.metadata.name && c.namespace === ns));
  if (candidates.length === 0) {
    removeCondition(ks, healthy);
    return;
  }
  const started = performance.now();
  try {
    const targets = await targetsOf(candidates, ns, target, (m) => applied.has(`${m.namespace}_${m.name}_${m.group}_${m.kind}`));
    await waitForSet(targets, { timeoutMs, signal: ctx.signal, statusOf: (obj) => (obj && celHealth(obj)) || computeStatus(obj) });
  } catch (err) {
    const took = formatDuration(Math.round(performance.now() - started));
    const message = `health check failed after ${took}: ${err instanceof HealthCheckError ? err.message : (err as Error).message}`;
    setCondition(ks, healthy, "False", ksReasons.healthCheckFailed, message);
    throw new ReconcileError(ksReasons.healthCheckFailed, message, { cause: err });
  }
  if (findCondition(ks, healthy)?.status !== "True" || findCondition(ks, healthy)?.observedGeneration !== ks.metadata.generation) {
    const took = (performance.now() - started) / 1000;
    setCondition(ks, healthy, "True", "Succeeded", `Health check passed in ${took.toFixed(3)}s`);
  }
}
