import type { Kustomization } from "../api/kustomize/kustomization.ts";
import type { ObjectApi } from "../runtime/kube/objects.ts";
import type { KustomizeDeps } from "./kustomize_deps.ts";

/** The service account a Kustomization acts as: spec.serviceAccountName, else --default-service-account. */
export function serviceAccountOf(ks: Kustomization, deps: KustomizeDeps): string | undefined {
  return ks.spec.serviceAccountName || deps.flags.defaultServiceAccount || undefined;
}

/** The API as the Kustomization's service account (system:serviceaccount:<ns>:<sa>), or as the controller. */
export function apiFor(ks: Kustomization, api: ObjectApi, deps: KustomizeDeps): ObjectApi {
  const sa = serviceAccountOf(ks, deps);
  if (!sa) return api;
  const ns = ks.metadata.namespace!;
  return api.as(deps.client.impersonating({ user: `system:serviceaccount:${ns}:${sa}`, groups: ["system:serviceaccounts", `system:serviceaccounts:${ns}`, "system:authenticated"] }));
}
