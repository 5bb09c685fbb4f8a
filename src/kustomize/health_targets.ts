import type { KubeObject } from "../api/meta.ts";
import type { WaitTarget } from "../runtime/health/wait_for_set.ts";
import { apiVersionOf, type ObjectMetadata, subjectOf } from "../runtime/apply/object_id.ts";
import type { Informer } from "../runtime/cache/informer.ts";
import { readAccessGuard } from "./read_access.ts";
import type { ClusterTarget } from "./target_cluster.ts";

/**
 * Watch targets for objects on the target cluster: applied ones are read from the owned-objects
 * cache (filtered by our owner labels); others (healthChecks naming objects we do not apply) from a
 * watch of their kind in their namespace. When a service account is impersonated, its right to get
 * each object is checked first (see readAccessGuard): a denial throws ReadDeniedError.
 */
export async function targetsOf(
  objects: Array<Pick<ObjectMetadata, "namespace" | "name" | "group" | "version" | "kind"> & { resourceVersion?: string }>,
  ownerNamespace: string,
  target: ClusterTarget,
  owned: (m: Pick<ObjectMetadata, "namespace" | "name" | "group" | "kind">) => boolean = () => true,
): Promise<WaitTarget[]> {
  const mayRead = readAccessGuard(target);
  const targets: WaitTarget[] = [];
  for (const m of objects) {
    const ref = await target.api.refFor({ apiVersion: apiVersionOf(m), kind: m.kind });
    const namespace = ref.namespaced ? m.namespace : undefined;
    const subject = subjectOf(m);
    await mayRead(ref, namespace, m.name, subject);
    let informer: Informer<KubeObject>;
    if (owned(m)) informer = await target.owned.informer(ref, ownerNamespace, namespace);
    else informer = await target.watch(ref, namespace);
    targets.push({ subject, namespace, name: m.name, informer, atLeast: m.resourceVersion });
  }
  return targets;
}
