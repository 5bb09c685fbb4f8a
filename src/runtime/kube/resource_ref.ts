import type { KindDefinition } from "../../api/kind.ts";

/** Where a kind lives in the REST API. */
export interface ResourceRef {
  group: string;
  version: string;
  /** Plural resource name, e.g. deployments. */
  resource: string;
  kind: string;
  namespaced: boolean;
}

export function apiVersionOfRef(ref: ResourceRef): string {
  return ref.group ? `${ref.group}/${ref.version}` : ref.version;
}

/** /api/v1/namespaces/ns/pods/name, /apis/apps/v1/deployments, … */
export function resourcePath(ref: ResourceRef, namespace?: string, name?: string, subresource?: string): string {
  const base = ref.group ? `/apis/${ref.group}/${ref.version}` : `/api/${ref.version}`;
  const ns = ref.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  const obj = name ? `/${encodeURIComponent(name)}` : "";
  const sub = name && subresource ? `/${subresource}` : "";
  return `${base}${ns}/${ref.resource}${obj}${sub}`;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? { group: "", version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Key used by informers and queues: namespace/name, or name for cluster-scoped objects. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function parseObjectKey(key: string): { namespace?: string; name: string } {
  const slash = key.indexOf("/");
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** Secrets and ConfigMaps: read by every controller (credentials, keys, variables). */
export const secretsRef: ResourceRef = { group: "", version: "v1", resource: "secrets", kind: "Secret", namespaced: true };
export const configMapsRef: ResourceRef = { group: "", version: "v1", resource: "configmaps", kind: "ConfigMap", namespaced: true };

/** Where one of our own kinds lives (every Flux kind is namespaced). */
export function refOfKind(def: Pick<KindDefinition, "group" | "version" | "plural" | "kind">): ResourceRef {
  return { group: def.group, version: def.version, resource: def.plural, kind: def.kind, namespaced: true };
}
