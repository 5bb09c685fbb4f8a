import type { KubeObject } from "../../api/meta.ts";
import { annotations } from "../../api/meta.ts";

/**
 * Whether an update of a watched object asks for a reconcile: a new generation (spec change),
 * a reconcile request, a deletion, or changed labels or finalizers. Our own status writes
 * change none of these, so they cost no reconcile.
 */
export function needsReconcile(old: KubeObject, cur: KubeObject): boolean {
  const o = old.metadata;
  const c = cur.metadata;
  if (o.generation !== c.generation) return true;
  if (!o.deletionTimestamp && c.deletionTimestamp) return true;
  const req = annotations.requestedAt;
  if (o.annotations?.[req] !== c.annotations?.[req]) return true;
  if (o.annotations?.[annotations.forceAt] !== c.annotations?.[annotations.forceAt]) return true;
  if (JSON.stringify(o.labels ?? {}) !== JSON.stringify(c.labels ?? {})) return true;
  return JSON.stringify(o.finalizers ?? []) !== JSON.stringify(c.finalizers ?? []);
}

/**
 * The update as if our finalizer had not just been added: adding it is our own write, made by a
 * reconcile that already saw this object, so it asks for no other reconcile. Removing it does.
 */
export function withoutAddedFinalizer<T extends KubeObject>(old: T, cur: T, finalizer: string | undefined): T {
  if (!finalizer || old.metadata.finalizers?.includes(finalizer) || !cur.metadata.finalizers?.includes(finalizer)) return cur;
  const finalizers = cur.metadata.finalizers.filter((f) => f !== finalizer);
  return { ...cur, metadata: { ...cur.metadata, finalizers: finalizers.length ? finalizers : undefined } };
}

/** ms plus up to `fraction` of it at random. */
export function jitter(ms: number, fraction: number): number {
  return Math.round(ms * (1 + Math.random() * fraction));
}
