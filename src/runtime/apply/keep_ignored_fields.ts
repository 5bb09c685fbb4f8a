import { isDeepStrictEqual } from "node:util";
import type { KubeObject } from "../../api/meta.ts";
import { applyOwners } from "./apply_owners.ts";
import { formatJsonPointer, removalOrder, removeAtPointer, setAtPointer, valueAtPointer } from "./json_pointer.ts";

/** What was done to one ignored field of the payload. */
export interface IgnoredFieldChange {
  pointer: string;
  /** strip: left out (another applier owns it); adopt: the cluster's value put in. */
  action: "strip" | "adopt";
}

/**
 * The payload to apply to an existing object so that the apply changes none of its ignored fields
 * (`pointers`, parsed). For each ignored field whose value differs between payload and cluster:
 * when another manager owns it through an apply, it is left out of the payload (our apply then
 * gives up our claim on it); otherwise the cluster's value is copied into the payload. A field the
 * cluster does not have keeps the payload's value. `cluster` must carry its managedFields.
 */
export function keepIgnoredFields(
  payload: KubeObject,
  cluster: KubeObject,
  pointers: readonly (readonly string[])[],
  fieldManager: string,
): { payload: KubeObject; changes: IgnoredFieldChange[] } {
  const out = structuredClone(payload);
  const changes: IgnoredFieldChange[] = [];
  for (const tokens of [...pointers].sort(removalOrder)) {
    if (tokens.length === 0) continue;
    const want = valueAtPointer(payload, tokens);
    const have = valueAtPointer(cluster, tokens);
    if (want.found === have.found && isDeepStrictEqual(want.value, have.value)) continue;
    const pointer = formatJsonPointer(tokens);
    if (applyOwners(cluster, tokens).some((m) => m !== fieldManager)) {
      if (removeAtPointer(out, tokens)) changes.push({ pointer, action: "strip" });
    } else if (have.found) {
      if (setAtPointer(out, tokens, structuredClone(have.value))) changes.push({ pointer, action: "adopt" });
    }
  }
  return { payload: out, changes };
}
