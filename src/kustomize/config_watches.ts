import { createHash } from "node:crypto";
import type { KubeObject } from "../api/meta.ts";
import type { InformerEvent } from "../runtime/cache/informer.ts";
import type { InformerTransform } from "../runtime/cache/informer_cache.ts";
import type { RelatedWatch } from "../runtime/controller/reconciler.ts";
import { configKey, configRefs } from "./config_refs.ts";

/** Name of the primary-informer index over configRefKeys. */
export const byConfigRef = "configRef";

/**
 * Keeps of a ConfigMap only what tells a data change from any other update: its identity and a
 * digest of data and binaryData (a few hundred bytes, whatever the ConfigMap's size).
 */
export const configDigestTransform: InformerTransform = {
  name: "config-digest",
  fn: (obj) => ({
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    metadata: { name: obj.metadata.name, namespace: obj.metadata.namespace, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion },
    dataDigest: dataDigest(obj),
  }),
};

/**
 * Watches on every Secret and ConfigMap a Kustomization references (ADR 8): a change of one's data,
 * its creation or its deletion queues exactly the Kustomizations indexed under it; updates of
 * metadata alone queue nothing. No `reconcile.fluxcd.io/watch` label is needed.
 *
 * Secrets: the namespace-scoped informer of all Secrets, which the source controller keeps (for
 * auth Secrets) in the same process, so sharing it costs nothing there. ConfigMaps: an informer of
 * their digests (configDigestTransform), so their contents are not kept in memory.
 */
export function configWatches(): RelatedWatch[] {
  return (["Secret", "ConfigMap"] as const).map((kind): RelatedWatch => ({
    ref: configRefs[kind],
    scoped: "namespace",
    ...(kind === "ConfigMap" ? { transform: configDigestTransform } : {}),
    map: (ev, primary) => {
      if (!dataChanged(ev)) return [];
      return primary.byIndex(byConfigRef, configKey(kind, ev.object.metadata.namespace, ev.object.metadata.name!)).map((ks) => `${ks.metadata.namespace}/${ks.metadata.name}`);
    },
  }));
}

/** Created, deleted, or updated with other data or binaryData. */
export function dataChanged(ev: InformerEvent<KubeObject>): boolean {
  if (ev.type !== "update" || !ev.old) return true;
  return dataDigest(ev.old) !== dataDigest(ev.object);
}

function dataDigest(obj: KubeObject): string {
  if (typeof obj.dataDigest === "string") return obj.dataDigest;
  return createHash("sha256")
    .update(JSON.stringify([obj.data ?? {}, obj.binaryData ?? {}]))
    .digest("base64");
}
