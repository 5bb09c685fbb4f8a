import { isDeepStrictEqual } from "node:util";
import type { KubeObject } from "../../api/meta.ts";
import { isRecord } from "../../api/is_record.ts";

interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  fieldsType?: string;
  fieldsV1?: unknown;
}

/**
 * The field managers that own the field at `tokens` (a parsed JSON pointer) of `obj` through a
 * server-side apply (operation Apply), read from metadata.managedFields. A manager owns the field
 * when its fieldsV1 set has it, something under it, or an atomic parent of it. List items are
 * matched through the object's own list: `k:{…}` by their key fields, `v:…` by value, `i:n` by index.
 */
export function applyOwners(obj: KubeObject, tokens: readonly string[]): string[] {
  if (tokens.length === 0) return [];
  const entries = (obj.metadata?.managedFields ?? []) as ManagedFieldsEntry[];
  const owners = new Set<string>();
  for (const e of entries) {
    if (e.operation !== "Apply" || !e.manager || (e.fieldsType ?? "FieldsV1") !== "FieldsV1") continue;
    if (ownsPath(e.fieldsV1, obj, tokens)) owners.add(e.manager);
  }
  return [...owners];
}

function ownsPath(fields: unknown, obj: unknown, tokens: readonly string[]): boolean {
  let node = fields;
  let value = obj;
  for (const [depth, token] of tokens.entries()) {
    if (!isRecord(node)) return false;
    // An empty set below the root is a leaf: the manager owns the whole (atomic) value.
    if (depth > 0 && Object.keys(node).length === 0) return true;
    if (Array.isArray(value)) {
      const i = /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : -1;
      if (i < 0 || i >= value.length) return false;
      const key = itemKey(node, value[i], i);
      if (key === undefined) return false;
      node = node[key];
      value = value[i];
      continue;
    }
    node = node[`f:${token}`];
    value = isRecord(value) ? value[token] : undefined;
    if (node === undefined) return false;
  }
  return true;
}

/** The fieldsV1 key of list item `item` (at index `i`) in `node`, if the manager has it. */
function itemKey(node: Record<string, unknown>, item: unknown, i: number): string | undefined {
  for (const key of Object.keys(node)) {
    if (key === `i:${i}`) return key;
    if (key.startsWith("v:")) {
      if (isDeepStrictEqual(parse(key.slice(2)), item)) return key;
    } else if (key.startsWith("k:")) {
      const want = parse(key.slice(2));
      if (isRecord(want) && isRecord(item) && Object.entries(want).every(([k, v]) => isDeepStrictEqual(item[k], v))) return key;
    }
  }
  return undefined;
}

function parse(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

