import type { ResourceRef } from "../runtime/kube/resource_ref.ts";
import type { ClusterTarget } from "./target_cluster.ts";

/** The impersonated service account may not read an object whose health was to be checked. */
export class ReadDeniedError extends Error {}

/**
 * Health is read from watches kept by the connection's own identity (the controller, or the
 * kubeconfig's user), not by the service account the Kustomization impersonates — one watch serves
 * every Kustomization. So that a service account learns nothing through them it could not read
 * itself, its right to `get` is checked first, with a SelfSubjectAccessReview made as that account:
 * once per kind and namespace (and, when that is denied, per object, for RBAC that names objects).
 * Allowances are kept for the TTL of `target.reviews` (a no-op reconcile asks nothing), denials
 * for this one health check only (a Role granted later is seen by the next reconcile). Without
 * impersonation there is nothing to check.
 */
export function readAccessGuard(target: ClusterTarget): (ref: ResourceRef, namespace: string | undefined, name: string, subject: string) => Promise<void> {
  const user = target.impersonating;
  if (!user) return async () => undefined;
  const asker = { cluster: target.server ?? "", user };
  const memo = new Map<string, Promise<{ allowed: boolean; reason?: string }>>();
  const review = (ref: ResourceRef, namespace: string | undefined, name?: string) => {
    const key = [ref.group, ref.resource, namespace ?? "", name ?? ""].join("|");
    let decision = memo.get(key);
    if (!decision) {
      decision = target.reviews.decide(target.api.client, asker, { verb: "get", group: ref.group, resource: ref.resource, namespace, name });
      memo.set(key, decision);
    }
    return decision;
  };
  return async (ref, namespace, name, subject) => {
    const ns = ref.namespaced ? namespace : undefined;
    if ((await review(ref, ns)).allowed) return;
    const decision = await review(ref, ns, name);
    if (decision.allowed) return;
    const scope = `${ref.group ? ` in API group "${ref.group}"` : ""}${ns ? ` in the namespace "${ns}"` : ""}`;
    const where = target.server ? ` on ${target.server}` : "";
    throw new ReadDeniedError(
      `${subject}: "${user}" cannot get resource "${ref.resource}"${scope}${where}, so its health cannot be read as that service account` +
        (decision.reason ? ` (${decision.reason})` : ""),
    );
  };
}
