import type { KubeObject } from "../api/meta.ts";
import type { ReconcileContext } from "../runtime/controller/reconciler.ts";
import type { WaitTarget } from "../runtime/health/wait_for_set.ts";
import { apiVersionOf, type ObjectMetadata, subjectOf } from "../runtime/apply/object_id.ts";
import type { Informer } from "../runtime/cache/informer.ts";
import type { KustomizeDeps } from "./kustomize_deps.ts";

/**
 * Watch targets for objects: applied ones are read from the owned-objects cache (filtered by our
 * owner labels); others (healthChecks naming objects we do not apply) from a watch of their kind
 * in their namespace.
 */
export async function targetsOf(
  objects: Array<Pick<ObjectMetadata, "namespace" | "name" | "group" | "version" | "kind"> & { resourceVersion?: string }>,
  ownerNamespace: string,
  deps: KustomizeDeps,
  ctx: ReconcileContext,
  owned: (m: Pick<ObjectMetadata, "namespace" | "name" | "group" | "kind">) => boolean = () => true,
): Promise<WaitTarget[]> {
  const targets: WaitTarget[] = [];
  for (const m of objects) {
    const ref = await ctx.api.refFor({ apiVersion: apiVersionOf(m), kind: m.kind });
    let informer: Informer<KubeObject>;
    if (owned(m)) informer = await deps.owned.informer(ref, ownerNamespace);
    else {
      informer = ctx.cache.informer<KubeObject>(ref, { namespace: ref.namespaced ? m.namespace : undefined });
      await informer.synced;
    }
    targets.push({ subject: subjectOf(m), namespace: ref.namespaced ? m.namespace : undefined, name: m.name, informer, atLeast: m.resourceVersion });
  }
  return targets;
}
