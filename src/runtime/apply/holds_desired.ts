import type { KubeObject } from "../../api/meta.ts";

/**
 * Whether the live object already holds every field of the desired one, with the same values
 * (objects key by key, lists item by item and of the same length, scalars equal). Fields the
 * server or other managers added are ignored. Conservative: a value the server normalized (a
 * quantity written differently, say) counts as different, so the caller asks the server instead.
 */
export function holdsDesired(desired: KubeObject, live: KubeObject): boolean {
  return contains(live, desired);
}

function contains(live: unknown, want: unknown): boolean {
  if (want === null || typeof want !== "object") return live === want;
  if (Array.isArray(want)) {
    return Array.isArray(live) && live.length === want.length && want.every((w, i) => contains(live[i], w));
  }
  if (live === null || typeof live !== "object" || Array.isArray(live)) return false;
  const l = live as Record<string, unknown>;
  for (const [k, w] of Object.entries(want)) {
    if (!contains(l[k], w)) return false;
  }
  return true;
}
