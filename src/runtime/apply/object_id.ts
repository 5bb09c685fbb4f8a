import type { KubeObject } from "../../api/meta.ts";
import { splitApiVersion } from "../kube/resource_ref.ts";

/** What the inventory knows of one object. */
export interface ObjectMetadata {
  namespace: string;
  name: string;
  group: string;
  kind: string;
  version: string;
}

const rbacGroup = "rbac.authorization.k8s.io";

/** Flux's inventory id: <namespace>_<name>_<group>_<kind>, with `:` in RBAC names written as `__`. */
export function inventoryId(m: Omit<ObjectMetadata, "version">): string {
  const name = m.group === rbacGroup ? m.name.replaceAll(":", "__") : m.name;
  return `${m.namespace}_${name}_${m.group}_${m.kind}`;
}

/** Reads an inventory entry back; throws on ids that do not have the four parts. */
export function parseInventoryId(id: string, v: string): ObjectMetadata {
  const first = id.indexOf("_");
  const last = id.lastIndexOf("_");
  const groupStart = id.lastIndexOf("_", last - 1);
  if (first < 0 || groupStart <= first) throw new Error(`invalid inventory id ${JSON.stringify(id)}`);
  const group = id.slice(groupStart + 1, last);
  let name = id.slice(first + 1, groupStart);
  if (group === rbacGroup) name = name.replaceAll("__", ":");
  return { namespace: id.slice(0, first), name, group, kind: id.slice(last + 1), version: v };
}

export function metadataOf(obj: KubeObject): ObjectMetadata {
  const { group, version } = splitApiVersion(obj.apiVersion);
  return { namespace: obj.metadata.namespace ?? "", name: obj.metadata.name ?? "", group, kind: obj.kind, version };
}

/** Kind/namespace/name, or Kind/name for cluster-scoped objects, as Flux prints them. */
export function subjectOf(m: Pick<ObjectMetadata, "namespace" | "name" | "kind">): string {
  return m.namespace ? `${m.kind}/${m.namespace}/${m.name}` : `${m.kind}/${m.name}`;
}

export function apiVersionOf(m: Pick<ObjectMetadata, "group" | "version">): string {
  return m.group ? `${m.group}/${m.version}` : m.version;
}
