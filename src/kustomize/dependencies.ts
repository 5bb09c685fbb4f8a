import type { Kustomization } from "../api/kustomize/kustomization.ts";
import type { Artifact } from "../api/meta.ts";
import type { Informer } from "../runtime/cache/informer.ts";
import { ReconcileError } from "../runtime/controller/reconciler.ts";
import { CelCompileError, compileCelPredicate } from "../runtime/health/cel_predicate.ts";
import { findCondition } from "../runtime/status/conditions.ts";
import { ksReasons } from "./reasons.ts";
import { sourceKey } from "./source_refs.ts";

/** Index value for each dependency of a Kustomization: namespace/name. */
export function dependencyKeys(ks: Kustomization): string[] {
  return (ks.spec.dependsOn ?? []).map((d) => `${d.namespace ?? ks.metadata.namespace}/${d.name}`);
}

/**
 * Checks dependsOn against the watch cache. A dependency is ready when its Ready condition is
 * True for its latest generation (or its readyExpr holds) and, when it builds from the same
 * source, it has applied the same revision. The error names the blocking dependency and why;
 * a cycle is reported as such. The dependency's watch wakes this Kustomization when it changes.
 */
export function checkDependencies(ks: Kustomization, artifact: Artifact, informer: Informer<Kustomization>, retryAfterMs: number): void {
  const cycle = findCycle(ks, informer);
  if (cycle) throw new ReconcileError(ksReasons.dependencyNotReady, `dependency cycle: ${cycle.join(" -> ")}`, { stalled: true });
  for (const [i, d] of (ks.spec.dependsOn ?? []).entries()) {
    const ns = d.namespace ?? ks.metadata.namespace!;
    const id = `${ns}/${d.name}`;
    const dep = informer.get(ns, d.name);
    const blocked = (why: string) => new ReconcileError(ksReasons.dependencyNotReady, `dependency '${id}' ${why}`, { retryAfterMs });
    if (!dep) throw blocked("not found");
    if (d.readyExpr) {
      let ready: boolean;
      try {
        ready = compileCelPredicate(d.readyExpr, `spec.dependsOn[${i}].readyExpr`)({ self: ks, dep });
      } catch (err) {
        if (err instanceof CelCompileError) throw new ReconcileError(ksReasons.invalidCEL, err.message, { stalled: true });
        throw blocked(`readyExpr failed: ${(err as Error).message}`);
      }
      if (!ready) throw blocked(`is not ready: readyExpr ${JSON.stringify(d.readyExpr)} is false`);
      continue;
    }
    const readyCond = findCondition(dep, "Ready");
    if (!readyCond) throw blocked("is not ready: it has not been reconciled yet");
    if (dep.metadata.generation !== dep.status?.observedGeneration) throw blocked("is not ready: its latest generation has not been reconciled yet");
    if (readyCond.status !== "True") throw blocked(`is not ready: ${readyCond.reason}: ${readyCond.message}`);
    if (sourceKey(dep) === sourceKey(ks) && dep.status?.lastAppliedRevision !== artifact.revision) {
      throw blocked(`revision is not up to date: it applied ${dep.status?.lastAppliedRevision ?? "nothing"}, the source is at ${artifact.revision}`);
    }
  }
}

function findCycle(ks: Kustomization, informer: Informer<Kustomization>): string[] | undefined {
  const start = `${ks.metadata.namespace}/${ks.metadata.name}`;
  const path: string[] = [start];
  const visiting = new Set<string>();
  const walk = (node: Kustomization): boolean => {
    for (const key of dependencyKeys(node)) {
      if (key === start) {
        path.push(key);
        return true;
      }
      if (visiting.has(key)) continue;
      visiting.add(key);
      const [ns, name] = key.split("/");
      const next = informer.get(ns, name);
      if (!next) continue;
      path.push(key);
      if (walk(next)) return true;
      path.pop();
    }
    return false;
  };
  return walk(ks) ? path : undefined;
}
