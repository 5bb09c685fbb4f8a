import { InvalidArgumentError } from "commander";
import { CliError } from "./cli_error.ts";
import { cliKinds } from "./cli_kinds.ts";

/** A kind to look an object up by, with the apiVersion it is served at. */
export interface TraceKind {
  kind: string;
  apiVersion: string;
}

/** Kinds Kubernetes serves out of the box that `trace` knows without --api-version, with kubectl's names for them. */
const builtins: Array<[kind: string, apiVersion: string, aliases: string[]]> = [
  ["Deployment", "apps/v1", ["deployments", "deploy"]],
  ["StatefulSet", "apps/v1", ["statefulsets", "sts"]],
  ["DaemonSet", "apps/v1", ["daemonsets", "ds"]],
  ["ReplicaSet", "apps/v1", ["replicasets", "rs"]],
  ["Pod", "v1", ["pods", "po"]],
  ["Service", "v1", ["services", "svc"]],
  ["ConfigMap", "v1", ["configmaps", "cm"]],
  ["Secret", "v1", ["secrets"]],
  ["ServiceAccount", "v1", ["serviceaccounts", "sa"]],
  ["Namespace", "v1", ["namespaces", "ns"]],
  ["PersistentVolumeClaim", "v1", ["persistentvolumeclaims", "pvc"]],
  ["Job", "batch/v1", ["jobs"]],
  ["CronJob", "batch/v1", ["cronjobs", "cj"]],
  ["Ingress", "networking.k8s.io/v1", ["ingresses", "ing"]],
  ["NetworkPolicy", "networking.k8s.io/v1", ["networkpolicies", "netpol"]],
  ["Role", "rbac.authorization.k8s.io/v1", ["roles"]],
  ["RoleBinding", "rbac.authorization.k8s.io/v1", ["rolebindings"]],
  ["ClusterRole", "rbac.authorization.k8s.io/v1", ["clusterroles"]],
  ["ClusterRoleBinding", "rbac.authorization.k8s.io/v1", ["clusterrolebindings"]],
  ["CustomResourceDefinition", "apiextensions.k8s.io/v1", ["customresourcedefinitions", "crd", "crds"]],
  ["HorizontalPodAutoscaler", "autoscaling/v2", ["horizontalpodautoscalers", "hpa"]],
  ["PodDisruptionBudget", "policy/v1", ["poddisruptionbudgets", "pdb"]],
];

const known = new Map<string, TraceKind>();
for (const [kind, apiVersion, aliases] of builtins) for (const n of [kind.toLowerCase(), ...aliases]) known.set(n, { kind, apiVersion });
for (const k of cliKinds) {
  const entry = { kind: k.def.kind, apiVersion: `${k.def.group}/${k.def.version}` };
  for (const n of [k.def.kind.toLowerCase(), k.def.plural, k.def.singular, ...(k.def.shortNames ?? []), ...k.aliases]) if (!known.has(n)) known.set(n, entry);
}

/** `--api-version`: v1, apps/v1, example.com/v1beta2. */
export function parseApiVersionFlag(value: string): string {
  if (!/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?v\d+((alpha|beta)\d+)?$/.test(value)) {
    throw new InvalidArgumentError(`want group/version or version, e.g. apps/v1 or v1, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A kind word (Deployment, deploy, cm, ks, helmrelease) as served, or undefined when `trace` does not know it. */
export function knownKind(word: string): TraceKind | undefined {
  return known.get(word.toLowerCase());
}

/** Every word `trace` takes for a kind without --api-version (deployment, deploy, ks), and the kind it names. */
export function traceKindWords(): Array<[word: string, kind: TraceKind]> {
  return [...known];
}

/** The kind to look up: a known word takes its canonical name; any other needs --api-version. */
export function traceKind(word: string, apiVersion: string | undefined): TraceKind {
  const hit = knownKind(word);
  if (hit) return { kind: hit.kind, apiVersion: apiVersion ?? hit.apiVersion };
  if (!apiVersion) throw new CliError(`kind ${JSON.stringify(word)} needs --api-version, e.g. --kind=${word} --api-version=example.com/v1`);
  return { kind: word, apiVersion };
}
