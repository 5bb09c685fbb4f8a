import type { KubeObject } from "../../api/meta.ts";
import type { Informer } from "../cache/informer.ts";
import type { ObjectApi } from "../kube/objects.ts";
import type { ResourceRef } from "../kube/resource_ref.ts";
import type { OwnedObjects } from "./owned_objects.ts";

/** An object whose deletion was requested. */
export interface PendingDeletion {
  ref: ResourceRef;
  /** Undefined for cluster-scoped kinds. */
  namespace?: string;
  name: string;
  /** Kind/ns/name, as printed in messages. */
  subject: string;
}

export interface WaitForDeletionOptions {
  owned: OwnedObjects;
  ownerNamespace: string;
  /** For the rare object the watch does not show: GETs with the watches' identity. */
  api: ObjectApi;
  timeoutMs: number;
  signal?: AbortSignal;
  /** How often such an object is looked up again. */
  pollMs?: number;
}

/**
 * Waits until the objects are gone (their finalizers done), driven by the owned-objects watches: it
 * returns on the delete event of the last one. An object the watch does not show although a GET
 * finds it (created a moment ago, its labels changed) is looked up every `pollMs` instead. Resolves
 * with the subjects still there at the timeout; throws when the signal aborts.
 */
export async function waitForDeletion(objects: PendingDeletion[], opts: WaitForDeletionOptions): Promise<string[]> {
  const watched: Array<{ d: PendingDeletion; informer: Informer<KubeObject> }> = [];
  let polled: PendingDeletion[] = [];
  for (const d of objects) {
    const informer = await opts.owned.informer(d.ref, opts.ownerNamespace, d.namespace);
    if (informer.get(d.namespace, d.name)) watched.push({ d, informer });
    else if (await opts.api.find(d.ref, d.namespace, d.name)) polled.push(d);
  }
  const remaining = () => [...watched.filter((w) => w.informer.get(w.d.namespace, w.d.name)).map((w) => w.d.subject), ...polled.map((d) => d.subject)];
  if (remaining().length === 0) return [];
  return new Promise<string[]>((resolve, reject) => {
    let done = false;
    const finish = (left: string[] | Error) => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      if (ticker) clearInterval(ticker);
      opts.signal?.removeEventListener("abort", onAbort);
      for (const u of unsubscribe) u();
      if (left instanceof Error) reject(left);
      else resolve(left);
    };
    const check = () => {
      if (remaining().length === 0) finish([]);
    };
    const unsubscribe = [...new Set(watched.map((w) => w.informer))].map((inf) => inf.on((ev) => ev.type === "delete" && check(), { replay: false }));
    let polling = false;
    const ticker = polled.length === 0 ? undefined : setInterval(async () => {
      if (polling) return;
      polling = true;
      try {
        const still: PendingDeletion[] = [];
        for (const d of polled) if (await opts.api.find(d.ref, d.namespace, d.name).catch(() => true)) still.push(d);
        polled = still;
        check();
      } finally {
        polling = false;
      }
    }, opts.pollMs ?? 1_000);
    const deadline = setTimeout(() => finish(remaining()), opts.timeoutMs);
    const onAbort = () => finish(new Error("waiting for deletion canceled"));
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    // A delete between the first look and the subscriptions would otherwise go unseen.
    check();
  });
}
