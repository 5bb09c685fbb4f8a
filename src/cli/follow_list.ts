import type { KubeObject } from "../api/meta.ts";
import type { WatchEvent } from "../runtime/kube/client.ts";
import { ApiError, isGone } from "../runtime/kube/api_error.ts";
import type { ObjectApi } from "../runtime/kube/objects.ts";
import { type ResourceRef, resourcePath } from "../runtime/kube/resource_ref.ts";

export interface FollowOptions {
  fieldSelector?: string;
  labelSelector?: string;
  /** Where the list the caller printed left off. */
  resourceVersion: string;
  signal: AbortSignal;
}

/**
 * Streams changes to a list until the signal aborts: resumes the watch when the server closes it,
 * and on 410 Gone relists and reports every object again as MODIFIED (nothing missed).
 */
export async function followList(
  api: ObjectApi,
  ref: ResourceRef,
  namespace: string | undefined,
  opts: FollowOptions,
  onEvent: (ev: WatchEvent<KubeObject>) => void,
): Promise<void> {
  let resourceVersion: string | undefined = opts.resourceVersion;
  const { fieldSelector, labelSelector, signal } = opts;
  while (!signal.aborted) {
    try {
      if (resourceVersion === undefined) {
        const list = await api.listAll(ref, namespace, { fieldSelector, labelSelector });
        for (const object of list.items) onEvent({ type: "MODIFIED", object: withKind(object, ref) });
        resourceVersion = list.metadata.resourceVersion;
      }
      const events: AsyncGenerator<WatchEvent<KubeObject>> = api.client.watch<KubeObject>(
        resourcePath(ref, namespace),
        { resourceVersion, fieldSelector, labelSelector, allowWatchBookmarks: true, timeoutSeconds: 300 },
        signal,
      );
      for await (const ev of events) {
        if (ev.type === "ERROR") {
          const status = ev.object as unknown as { code?: number };
          throw new ApiError("WATCH", resourcePath(ref, namespace), status.code ?? 500, ev.object);
        }
        resourceVersion = ev.object.metadata?.resourceVersion ?? resourceVersion;
        if (ev.type !== "BOOKMARK") onEvent({ type: ev.type, object: withKind(ev.object, ref) });
      }
    } catch (err) {
      if (signal.aborted) return;
      if (!isGone(err)) throw err;
      resourceVersion = undefined;
    }
  }
}

function withKind(obj: KubeObject, ref: ResourceRef): KubeObject {
  const apiVersion = ref.group ? `${ref.group}/${ref.version}` : ref.version;
  return { ...obj, apiVersion: obj.apiVersion ?? apiVersion, kind: obj.kind ?? ref.kind };
}
