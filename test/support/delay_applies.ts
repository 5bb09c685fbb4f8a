import type { KubeObject } from "../../src/api/meta.ts";
import type { ApplyOptions, ObjectApi } from "../../src/runtime/kube/objects.ts";

/**
 * Holds every server-side apply that writes (dry-runs pass at once) for `ms` before sending it,
 * so that a fault test can strike while a stage is being written. Patches `target`, an ObjectApi
 * or ObjectApi.prototype; returns the undo.
 */
export function delayApplies(target: Pick<ObjectApi, "apply">, ms: number): () => void {
  const apply = target.apply;
  target.apply = async function <T = KubeObject>(this: ObjectApi, obj: KubeObject, opts: ApplyOptions, subresource?: "status"): Promise<T> {
    if (!opts.dryRun && ms > 0) await new Promise((r) => setTimeout(r, ms));
    return apply.call(this, obj, opts, subresource) as Promise<T>;
  };
  return () => {
    target.apply = apply;
  };
}
