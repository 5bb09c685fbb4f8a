import type { KubeObject } from "../api/meta.ts";
import { ApiError, isGone } from "../runtime/kube/api_error.ts";
import type { ObjectApi } from "../runtime/kube/objects.ts";
import { type ResourceRef, resourcePath } from "../runtime/kube/resource_ref.ts";
import { CliError } from "./cli_error.ts";

/** What a wait decides on each version of the object (undefined: it does not exist). */
export type WaitCheck<R> = (obj: KubeObject | undefined) => { done: true; value: R } | { done: false };

export interface WaitOptions {
  timeoutMs: number;
  /** Called with every version seen, e.g. to update a spinner. */
  onChange?: (obj: KubeObject | undefined) => void;
  /** The message when the time is up, given the last version seen. */
  timeoutMessage: (last: KubeObject | undefined) => string;
}

/**
 * Waits on a watch (no polling) until `check` is done with one object. Lists once, then follows
 * the watch from that resourceVersion, resuming when the server ends it and relisting only on 410 Gone.
 */
export async function waitForObject<R>(
  api: ObjectApi,
  ref: ResourceRef,
  namespace: string | undefined,
  name: string,
  check: WaitCheck<R>,
  opts: WaitOptions,
): Promise<R> {
  const abort = new AbortController();
  const deadline = Date.now() + opts.timeoutMs;
  const timer = setTimeout(() => abort.abort(), opts.timeoutMs);
  const fieldSelector = `metadata.name=${name}`;
  let last: KubeObject | undefined;
  const see = (obj: KubeObject | undefined) => {
    last = obj && { ...obj, apiVersion: obj.apiVersion ?? apiVersionOf(ref), kind: obj.kind ?? ref.kind };
    opts.onChange?.(last);
    return check(last);
  };
  try {
    let resourceVersion: string | undefined;
    while (!abort.signal.aborted) {
      if (resourceVersion === undefined) {
        const list = await api.list(ref, namespace, { fieldSelector });
        const seen = see(list.items[0]);
        if (seen.done) return seen.value;
        resourceVersion = list.metadata.resourceVersion;
      }
      try {
        const remaining = Math.max(1, Math.ceil((deadline - Date.now()) / 1000));
        const events = api.client.watch<KubeObject>(
          resourcePath(ref, namespace),
          { resourceVersion, fieldSelector, allowWatchBookmarks: true, timeoutSeconds: Math.min(remaining, 300) },
          abort.signal,
        );
        for await (const ev of events) {
          if (ev.type === "ERROR") {
            const status = ev.object as unknown as { code?: number };
            throw new ApiError("WATCH", resourcePath(ref, namespace), status.code ?? 500, ev.object);
          }
          resourceVersion = ev.object.metadata?.resourceVersion ?? resourceVersion;
          if (ev.type === "BOOKMARK") continue;
          const seen = see(ev.type === "DELETED" ? undefined : ev.object);
          if (seen.done) return seen.value;
        }
      } catch (err) {
        if (abort.signal.aborted) break;
        if (!isGone(err)) throw err;
        resourceVersion = undefined;
      }
    }
    throw new CliError(opts.timeoutMessage(last));
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

function apiVersionOf(ref: ResourceRef): string {
  return ref.group ? `${ref.group}/${ref.version}` : ref.version;
}
