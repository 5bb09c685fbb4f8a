import type { Kustomization } from "../api/kustomize/kustomization.ts";
import type { ReconcileContext } from "../runtime/controller/reconciler.ts";
import { configMapsRef, type ResourceRef, secretsRef } from "../runtime/kube/resource_ref.ts";
import type { SecretName } from "./sops_age_secret.ts";

export type ConfigKind = "Secret" | "ConfigMap";

export const configRefs: Record<ConfigKind, ResourceRef> = {
  Secret: secretsRef,
  ConfigMap: configMapsRef,
};

/** Index value of a referenced Secret or ConfigMap: `Kind/namespace/name`. */
export function configKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ""}/${name}`;
}

/**
 * The Secrets and ConfigMaps a Kustomization reads, as index values: postBuild.substituteFrom,
 * decryption.secretRef and kubeConfig.secretRef/configMapRef (all in its own namespace), plus the
 * --sops-age-secret Secret (`fallbackAge`, in the runtime namespace) when it has spec.decryption.
 */
export function configRefKeys(ks: Kustomization, fallbackAge?: SecretName): string[] {
  const ns = ks.metadata.namespace;
  const keys = (ks.spec.postBuild?.substituteFrom ?? []).map((r) => configKey(r.kind, ns, r.name));
  if (ks.spec.decryption?.secretRef) keys.push(configKey("Secret", ns, ks.spec.decryption.secretRef.name));
  if (ks.spec.decryption && fallbackAge) keys.push(configKey("Secret", fallbackAge.namespace, fallbackAge.name));
  if (ks.spec.kubeConfig?.secretRef) keys.push(configKey("Secret", ns, ks.spec.kubeConfig.secretRef.name));
  if (ks.spec.kubeConfig?.configMapRef) keys.push(configKey("ConfigMap", ns, ks.spec.kubeConfig.configMapRef.name));
  return [...new Set(keys)];
}

/**
 * A referenced Secret or ConfigMap; undefined when it does not exist. In the controller, Secrets
 * come from the informer that the Secret watch (config_watches.ts) keeps, the one the source
 * controller reads too (should it show an older version, the watch requeues on the newer one);
 * ConfigMaps, of which that cache holds only a digest, are read from the API, and so is a Secret
 * the cache does not have (yet: one created just before its Kustomization). Without a cache (the
 * CLI) both are read from the API.
 */
export async function readConfig(ctx: Pick<ReconcileContext, "api"> & Partial<Pick<ReconcileContext, "cache">>, kind: ConfigKind, namespace: string, name: string): Promise<{ data?: Record<string, string> } | undefined> {
  const cached = kind === "Secret" ? ctx.cache?.informer(configRefs.Secret, { scoped: "namespace" }).get(namespace, name) : undefined;
  return (cached as { data?: Record<string, string> } | undefined) ?? ctx.api.find(configRefs[kind], namespace, name);
}
