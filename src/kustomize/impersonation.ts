import type { Kustomization } from "../api/kustomize/kustomization.ts";
import type { Impersonation } from "../runtime/kube/client.ts";
import type { KustomizeDeps } from "./kustomize_deps.ts";

/** The service account a Kustomization acts as: spec.serviceAccountName, else --default-service-account. */
export function serviceAccountOf(ks: Kustomization, deps: KustomizeDeps): string | undefined {
  return ks.spec.serviceAccountName || deps.flags.defaultServiceAccount || undefined;
}

/**
 * Who to impersonate: system:serviceaccount:<ks namespace>:<sa>, or nobody (act as the controller, or
 * as the kubeconfig's user on a remote cluster). Only the user is sent, as Flux does: the API server
 * adds a service account's groups itself, and the controller (or the kubeconfig's user) then needs
 * `impersonate` on service accounts alone, not on groups (config/rbac grants no more).
 */
export function impersonationOf(ks: Kustomization, deps: KustomizeDeps): Impersonation | undefined {
  const sa = serviceAccountOf(ks, deps);
  if (!sa) return undefined;
  return { user: `system:serviceaccount:${ks.metadata.namespace}:${sa}` };
}
