import type { KubeObject } from "../../api/meta.ts";
import { splitApiVersion } from "../kube/resource_ref.ts";

/**
 * Stage of an object in a staged apply: 0 = CRDs, Namespaces and ClusterRoles (waited for),
 * 1 = *Class kinds (waited for), 2 = everything else.
 */
export function applyStage(obj: Pick<KubeObject, "apiVersion" | "kind">): 0 | 1 | 2 {
  const { group } = splitApiVersion(obj.apiVersion);
  if (obj.kind === "CustomResourceDefinition" && group === "apiextensions.k8s.io") return 0;
  if (obj.kind === "Namespace" && group === "") return 0;
  if (obj.kind === "ClusterRole" && group === "rbac.authorization.k8s.io") return 0;
  if (obj.kind.endsWith("Class")) return 1;
  return 2;
}

const first = [
  "CustomResourceDefinition", "Namespace", "ClusterRole", "ClusterClass", "RuntimeClass", "PriorityClass",
  "StorageClass", "VolumeSnapshotClass", "IngressClass", "GatewayClass", "ClusterRoleBinding", "ResourceQuota",
  "ServiceAccount", "Role", "RoleBinding", "ConfigMap", "Secret", "Service", "LimitRange", "Deployment",
  "StatefulSet", "CronJob", "PodDisruptionBudget",
];
const last = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];

function rank(kind: string): number {
  const f = first.indexOf(kind);
  if (f >= 0) return f;
  const l = last.indexOf(kind);
  return l >= 0 ? first.length + 1 + l : first.length;
}

/** Objects in apply order (dependencies first); prune uses the reverse. */
export function sortForApply<T extends Pick<KubeObject, "apiVersion" | "kind" | "metadata">>(objects: T[]): T[] {
  const key = (o: T) => [splitApiVersion(o.apiVersion).group, o.kind, o.metadata.namespace ?? "", o.metadata.name ?? ""].join("\0");
  return [...objects].sort((a, b) => rank(a.kind) - rank(b.kind) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
