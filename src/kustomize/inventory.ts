import type { ResourceInventory } from "../api/inventory.ts";
import type { ChangeSetEntry } from "../runtime/apply/apply_set.ts";
import { type ObjectMetadata, parseInventoryId } from "../runtime/apply/object_id.ts";

/** status.inventory from a change set (every entry, skipped and unchanged ones too), sorted by id. */
export function inventoryOf(entries: Array<Pick<ChangeSetEntry, "id" | "version">>): ResourceInventory {
  const byId = new Map(entries.map((e) => [e.id, e.version]));
  return { entries: [...byId].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, v]) => ({ id, v })) };
}

/** Objects in `old` that are not in `current`: what prune deletes. */
export function staleObjects(old: ResourceInventory | undefined, current: ResourceInventory): ObjectMetadata[] {
  const keep = new Set(current.entries.map((e) => e.id));
  return (old?.entries ?? []).filter((e) => !keep.has(e.id)).map((e) => parseInventoryId(e.id, e.v));
}

/** Union of two inventories (a failed apply keeps the old entries so nothing is pruned by mistake). */
export function mergeInventories(a: ResourceInventory | undefined, b: ResourceInventory | undefined): ResourceInventory {
  return inventoryOf([...(a?.entries ?? []), ...(b?.entries ?? [])].map((e) => ({ id: e.id, version: e.v })));
}
