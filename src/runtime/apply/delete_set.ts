import type { KubeObject } from "../../api/meta.ts";
import { ApiError, isConflict, isNotFound } from "../kube/api_error.ts";
import { UnknownKindError } from "../kube/discovery.ts";
import type { ObjectApi } from "../kube/objects.ts";
import type { ChangeSetEntry } from "./apply_set.ts";
import { sortForApply } from "./apply_order.ts";
import { apiVersionOf, inventoryId, type ObjectMetadata, subjectOf } from "./object_id.ts";
import { isPruneDisabled } from "./object_policy.ts";
import type { OwnedObjects } from "./owned_objects.ts";

export interface DeleteSetOptions {
  api: ObjectApi;
  owned: OwnedObjects;
  ownerNamespace: string;
  /** Only objects whose live labels carry all of these are deleted. */
  ownerLabels: Record<string, string>;
  signal?: AbortSignal;
}

/** A prune that could not delete some objects; `entries` says what happened to each. */
export class DeleteError extends Error {
  readonly entries: ChangeSetEntry[];
  /** Inventory ids of the objects whose deletion failed: keep them in the inventory to retry. */
  readonly failed: string[];
  constructor(message: string, entries: ChangeSetEntry[], failed: string[]) {
    super(message);
    this.name = "DeleteError";
    this.entries = entries;
    this.failed = failed;
  }
}

/**
 * Deletes objects in reverse apply order, but only those that still carry the owner labels and
 * are not opted out (prune: disabled, reconcile: disabled, ssa: Ignore). Gone objects count as
 * deleted. The live labels come from the owned-objects cache; a cache miss is confirmed with a GET.
 */
export async function deleteSet(objects: ObjectMetadata[], opts: DeleteSetOptions): Promise<ChangeSetEntry[]> {
  const asObjects = objects.map((m) => ({ apiVersion: apiVersionOf(m), kind: m.kind, metadata: { namespace: m.namespace, name: m.name }, m }));
  const ordered = sortForApply(asObjects).reverse();
  const entries: ChangeSetEntry[] = [];
  const errors: string[] = [];
  const failed: string[] = [];
  for (const { m } of ordered) {
    const entry: ChangeSetEntry = { ...m, id: inventoryId(m), subject: subjectOf(m), action: "deleted" };
    try {
      entry.action = await deleteOne(m, opts);
    } catch (err) {
      entry.action = "skipped";
      errors.push(`${entry.subject}: ${(err as Error).message}`);
      failed.push(entry.id);
    }
    entries.push(entry);
  }
  if (errors.length) throw new DeleteError(`delete failed, errors: ${errors.join("; ")}`, entries, failed);
  return entries;
}

async function deleteOne(m: ObjectMetadata, opts: DeleteSetOptions): Promise<"deleted" | "skipped"> {
  let ref;
  try {
    ref = await opts.api.refFor({ apiVersion: apiVersionOf(m), kind: m.kind });
  } catch (err) {
    // The kind is no longer served (its CRD went away): nothing of it is left to delete.
    if (err instanceof UnknownKindError) return "deleted";
    throw err;
  }
  const ns = ref.namespaced ? m.namespace : undefined;
  let live: KubeObject | undefined = await opts.owned.get(ref, opts.ownerNamespace, ns, m.name);
  if (!live) live = await opts.api.find<KubeObject>(ref, ns, m.name);
  if (!live) return "deleted";
  const labels = live.metadata.labels ?? {};
  if (Object.entries(opts.ownerLabels).some(([k, v]) => labels[k] !== v)) return "skipped";
  if (isPruneDisabled(live)) return "skipped";
  if (live.metadata.deletionTimestamp) return "deleted";
  try {
    await opts.api.delete(ref, ns, m.name, { propagationPolicy: "Background", uid: live.metadata.uid });
  } catch (err) {
    // The uid precondition failed: the object was replaced by someone else since; leave it.
    if (isConflict(err)) return "skipped";
    if (isNotFound(err)) return "deleted";
    if (err instanceof ApiError) throw new Error(`delete ${err.reason ? `(${err.reason}) ` : ""}${err.message}`);
    throw err;
  }
  return "deleted";
}
