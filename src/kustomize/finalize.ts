import type { Kustomization } from "../api/kustomize/kustomization.ts";
import { deleteSet } from "../runtime/apply/delete_set.ts";
import { apiVersionOf, parseInventoryId } from "../runtime/apply/object_id.ts";
import { type PendingDeletion, waitForDeletion } from "../runtime/apply/wait_for_deletion.ts";
import type { ReconcileContext } from "../runtime/controller/reconciler.ts";
import { ownerLabels } from "./apply.ts";
import type { KustomizeDeps } from "./kustomize_deps.ts";
import { releaseTarget, targetOf } from "./target_cluster.ts";
import { timeoutOf } from "./timing.ts";

/**
 * On deletion, deletes the inventory's objects when the deletionPolicy says so (MirrorPrune
 * follows spec.prune; Delete and WaitForTermination always; Orphan never), on the cluster they were
 * applied to and as the identity that applied them, and, for WaitForTermination, waits until they
 * are gone — woken by the owned-objects watch, not by polling. A suspended Kustomization deletes nothing.
 * A target that cannot be reached (kubeconfig Secret gone, server down) fails the finalize, which
 * keeps the finalizer and retries: nothing is orphaned silently.
 */
export async function finalizeKustomization(ks: Kustomization, ctx: ReconcileContext, deps: KustomizeDeps): Promise<void> {
  deps.applied.delete(`${ks.metadata.namespace}/${ks.metadata.name}`);
  const entries = ks.status?.inventory?.entries ?? [];
  const policy = ks.spec.deletionPolicy ?? "MirrorPrune";
  const remove = policy === "MirrorPrune" ? ks.spec.prune : policy !== "Orphan";
  if (ks.spec.suspend || entries.length === 0 || !remove) {
    releaseTarget(ks, deps);
    return;
  }
  const target = await targetOf(ks, ctx, deps);
  const objects = entries.map((e) => parseInventoryId(e.id, e.v));
  const ownerNamespace = ks.metadata.namespace!;
  let deleted;
  try {
    deleted = await deleteSet(objects, { api: target.api, owned: target.owned, ownerNamespace, ownerLabels: ownerLabels(ks), signal: ctx.signal });
  } catch (err) {
    await ctx.event("Warning", "PruneFailed", `pruning for deleted resource failed: ${(err as Error).message}`).catch(() => undefined);
    throw err;
  }
  if (policy === "WaitForTermination") {
    const pending: PendingDeletion[] = [];
    for (const e of deleted.filter((d) => d.action === "deleted")) {
      // A kind no longer served has nothing left to wait for.
      const ref = await target.api.refFor({ apiVersion: apiVersionOf(e), kind: e.kind }).catch(() => undefined);
      if (ref) pending.push({ ref, namespace: ref.namespaced ? e.namespace : undefined, name: e.name, subject: e.subject });
    }
    const left = await waitForDeletion(pending, { owned: target.owned, ownerNamespace, api: target.reader, timeoutMs: timeoutOf(ks), signal: ctx.signal });
    if (left.length > 0) {
      await ctx.event("Warning", "PruneFailed", `failed to wait for resources termination: ${left.join(", ")}`).catch(() => undefined);
    }
  }
  releaseTarget(ks, deps);
}
