import type { KubeObject } from "../api/meta.ts";

/** Annotations that describe one moment, not the desired state. */
const transientAnnotations = [/^kubectl\.kubernetes\.io\/last-applied-configuration$/, /^reconcile\.fluxcd\.io\//];

/**
 * The object as one would write it in Git: apiVersion, kind, name, namespace, labels, annotations and
 * spec, without status and everything the server or a controller sets (uid, resourceVersion,
 * generation, timestamps, managedFields, finalizers, owner references, last-applied and request annotations).
 */
export function cleanObject(obj: KubeObject): KubeObject {
  const { name, namespace, labels } = obj.metadata;
  const annotations = Object.fromEntries(
    Object.entries(obj.metadata.annotations ?? {}).filter(([k]) => !transientAnnotations.some((re) => re.test(k))),
  );
  const metadata: KubeObject["metadata"] = { name };
  if (namespace) metadata.namespace = namespace;
  if (labels && Object.keys(labels).length) metadata.labels = labels;
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  const { apiVersion, kind, metadata: _m, status: _s, ...rest } = obj;
  return { apiVersion, kind, metadata, ...rest };
}
