import type { Kustomization } from "../api/kustomize/kustomization.ts";
import { deleteSet } from "../runtime/apply/delete_set.ts";
import { apiVersionOf, parseInventoryId } from "../runtime/apply/object_id.ts";
import type { ReconcileContext } from "../runtime/controller/reconciler.ts";
import { ownerLabels } from "./apply.ts";
import { apiFor } from "./impersonation.ts";
import type { KustomizeDeps } from "./kustomize_deps.ts";
import { timeoutOf } from "./timing.ts";

/**
 * On deletion, deletes the inventory's objects when the deletionPolicy says so (MirrorPrune
 * follows spec.prune; Delete and WaitForTermination always; Orphan never) and, for
 * WaitForTermination, waits until they are gone. A suspended Kustomization deletes nothing.
 */
export async function finalizeKustomization(ks: Kustomization, ctx: ReconcileContext, deps: KustomizeDeps): Promise<void> {
  deps.applied.delete(`${ks.metadata.namespace}/${ks.metadata.name}`);
  const entries = ks.status?.inventory?.entries ?? [];
  if (ks.spec.suspend || entries.length === 0) return;
  const policy = ks.spec.deletionPolicy ?? "MirrorPrune";
  const remove = policy === "MirrorPrune" ? ks.spec.prune : policy !== "Orphan";
  if (!remove) return;
  const objects = entries.map((e) => parseInventoryId(e.id, e.v));
  const api = apiFor(ks, ctx.api, deps);
  try {
    await deleteSet(objects, { api, owned: deps.owned, ownerNamespace: ks.metadata.namespace!, ownerLabels: ownerLabels(ks), signal: ctx.signal });
  } catch (err) {
    await ctx.event("Warning", "PruneFailed", `pruning for deleted resource failed: ${(err as Error).message}`).catch(() => undefined);
    throw err;
  }
  if (policy !== "WaitForTermination") return;
  const deadline = Date.now() + timeoutOf(ks);
  for (const m of objects) {
    const ref = await api.refFor({ apiVersion: apiVersionOf(m), kind: m.kind }).catch(() => undefined);
    if (!ref) continue;
    while (Date.now() < deadline && (await api.find(ref, ref.namespaced ? m.namespace : undefined, m.name))) await new Promise((r) => setTimeout(r, 1000));
  }
  if (Date.now() >= deadline) await ctx.event("Warning", "PruneFailed", "failed to wait for resources termination").catch(() => undefined);
}
