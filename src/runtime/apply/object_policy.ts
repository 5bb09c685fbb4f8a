import type { KubeObject } from "../../api/meta.ts";

/** Per-object annotations (or labels) that change how an object is applied and pruned. */
export const policyKeys = {
  ssa: "kustomize.toolkit.fluxcd.io/ssa",
  force: "kustomize.toolkit.fluxcd.io/force",
  prune: "kustomize.toolkit.fluxcd.io/prune",
  reconcile: "kustomize.toolkit.fluxcd.io/reconcile",
} as const;

/** Whether the object carries `key` = `value` (case-insensitive) as a label or an annotation. */
export function hasPolicy(obj: KubeObject | undefined, key: string, value: string): boolean {
  if (!obj) return false;
  const want = value.toLowerCase();
  const { labels, annotations } = obj.metadata ?? {};
  return labels?.[key]?.toLowerCase() === want || annotations?.[key]?.toLowerCase() === want;
}

/** Never applied nor pruned: ssa: Ignore or reconcile: disabled. */
export function isExcluded(obj: KubeObject | undefined): boolean {
  return hasPolicy(obj, policyKeys.ssa, "Ignore") || hasPolicy(obj, policyKeys.reconcile, "Disabled");
}

export function isIfNotPresent(obj: KubeObject | undefined): boolean {
  return hasPolicy(obj, policyKeys.ssa, "IfNotPresent");
}

export function isPruneDisabled(obj: KubeObject | undefined): boolean {
  return isExcluded(obj) || hasPolicy(obj, policyKeys.prune, "Disabled");
}

export function isForceEnabled(obj: KubeObject | undefined): boolean {
  return hasPolicy(obj, policyKeys.force, "Enabled");
}
