import type { KubeObject } from "../api/meta.ts";
import { ownerLabelKeys } from "../kustomize/reasons.ts";

/** The Kustomization or HelmRelease that applied an object, read from its owner labels. */
export interface Manager {
  kind: "Kustomization" | "HelmRelease";
  name: string;
  namespace: string;
}

const helmLabelKeys = { name: "helm.toolkit.fluxcd.io/name", namespace: "helm.toolkit.fluxcd.io/namespace" };

/** Label keys that mark an object as applied by Sluice (or Flux), for messages. */
export const managerLabelNames = [ownerLabelKeys.name, helmLabelKeys.name];

/**
 * Who manages `obj`: the kustomize.toolkit.fluxcd.io/name and /namespace labels, else the
 * helm.toolkit.fluxcd.io ones. A missing namespace label falls back to the object's own namespace.
 */
export function managedBy(obj: KubeObject): Manager | undefined {
  const labels = obj.metadata.labels ?? {};
  for (const [kind, keys] of [["Kustomization", ownerLabelKeys], ["HelmRelease", helmLabelKeys]] as const) {
    const name = labels[keys.name];
    const namespace = labels[keys.namespace] ?? obj.metadata.namespace;
    if (name && namespace) return { kind, name, namespace };
  }
  return undefined;
}
