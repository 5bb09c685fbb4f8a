import type { Kustomization } from "../api/kustomize/kustomization.ts";
import type { Impersonation } from "../runtime/kube/client.ts";
import type { KustomizeDeps } from "./kustomize_deps.ts";

/** The service account a Kustomization acts as: spec.serviceAccountName, else --default-service-account. */
export function serviceAccountOf(ks: Kustomization, deps: KustomizeDeps): string | undefined {
  return ks.spec.serviceAccountName || deps.flags.defaultServiceAccount || undefined;
}

/**
 * Who to impersonate: system:serviceaccount:<ks namespace>:<sa>, or nobody (act as the controller, or
 * as the kubeconfig's user on a remote cluster). On a remote cluster only the user is sent, as Flux
 * does: the kubeconfig's user then needs `impersonate` on that service account alone, not on groups,
 * and the API server adds the service account's groups itself.
 */
export function impersonationOf(ks: Kustomization, deps: KustomizeDeps, remote: boolean): Impersonation | undefined {
  const sa = serviceAccountOf(ks, deps);
  if (!sa) return undefined;
  const ns = ks.metadata.namespace!;
  const user = `system:serviceaccount:${ns}:${sa}`;
  if (remote) return { user };
  return { user, groups: ["system:serviceaccounts", `system:serviceaccounts:${ns}`, "system:authenticated"] };
}
