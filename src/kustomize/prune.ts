import type { Kustomization } from "../api/kustomize/kustomization.ts";
import type { ChangeSetEntry } from "../runtime/apply/apply_set.ts";
import { DeleteError, deleteSet } from "../runtime/apply/delete_set.ts";
import type { ObjectMetadata } from "../runtime/apply/object_id.ts";
import { ReconcileError, type ReconcileContext } from "../runtime/controller/reconciler.ts";
import { ownerLabels } from "./apply.ts";
import { ksReasons } from "./reasons.ts";
import type { ClusterTarget } from "./target_cluster.ts";

/**
 * Deletes objects that left the source (old inventory minus new), only those still carrying our
 * owner labels and not opted out. Objects whose deletion failed go back into the inventory so the
 * next reconcile retries them.
 */
export async function prune(ks: Kustomization, stale: ObjectMetadata[], ctx: ReconcileContext, target: ClusterTarget): Promise<ChangeSetEntry[]> {
  if (stale.length === 0) return [];
  try {
    return await deleteSet(stale, {
      api: target.api,
      owned: target.owned,
      ownerNamespace: ks.metadata.namespace!,
      ownerLabels: ownerLabels(ks),
      signal: ctx.signal,
    });
  } catch (err) {
    if (err instanceof DeleteError) {
      const failed = new Set(err.failed);
      const back = err.entries.filter((e) => failed.has(e.id)).map((e) => ({ id: e.id, v: e.version }));
      const entries = [...(ks.status?.inventory?.entries ?? []), ...back].sort((a, b) => (a.id < b.id ? -1 : 1));
      ks.status = { ...ks.status, inventory: { entries } };
      throw new ReconcileError(ksReasons.pruneFailed, err.message, { cause: err });
    }
    throw err;
  }
}
