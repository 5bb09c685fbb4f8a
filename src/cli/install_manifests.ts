import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, parseAllDocuments } from "yaml";
import type { KubeObject } from "../api/meta.ts";
import { sortForApply } from "../runtime/apply/apply_order.ts";
import { CliError } from "./cli_error.ts";

/** Where the install manifests live: config/ beside src/ in a clone and in the package. */
export const configDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "config");

const clusterScoped = new Set(["Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding", "PriorityClass", "StorageClass"]);
/** The kustomization.yaml fields read here; any other is refused rather than silently ignored. */
const understood = new Set(["apiVersion", "kind", "resources", "namespace"]);

interface KustomizationFile {
  resources?: string[];
  namespace?: string;
  [field: string]: unknown;
}

/**
 * The objects `kustomize build config/` gives, for the subset of kustomize config/ uses: resources
 * (files and directories with their own kustomization.yaml) and namespace (set on namespaced objects
 * and on ServiceAccount subjects of bindings). `namespace` overrides it, as `flux install -n` does.
 * Sorted for apply: CRDs and the Namespace first.
 */
export function loadInstallManifests(dir = configDir, namespace?: string): KubeObject[] {
  return sortForApply(loadDir(dir, namespace));
}

function loadDir(dir: string, namespace: string | undefined): KubeObject[] {
  const file = join(dir, "kustomization.yaml");
  if (!existsSync(file)) throw new CliError(`no kustomization.yaml in ${dir}: is this a complete Sluice checkout or package?`);
  const k = parse(readFileSync(file, "utf8")) as KustomizationFile;
  const unknown = Object.keys(k).filter((f) => !understood.has(f));
  if (unknown.length) throw new CliError(`${file} uses ${unknown.join(", ")}, which sluice install cannot build; build it with kustomize and apply that instead`);
  const ns = namespace ?? k.namespace;
  const objects: KubeObject[] = [];
  for (const entry of k.resources ?? []) {
    const path = resolve(dir, entry);
    if (!existsSync(path)) throw new CliError(`${file} lists ${entry}, which does not exist`);
    if (statSync(path).isDirectory()) objects.push(...loadDir(path, ns));
    else objects.push(...loadFile(path));
  }
  return ns ? objects.map((o) => inNamespace(o, ns)) : objects;
}

function loadFile(path: string): KubeObject[] {
  return parseAllDocuments(readFileSync(path, "utf8"))
    .map((d) => {
      if (d.errors.length) throw new CliError(`${path}: ${d.errors[0].message}`);
      return d.toJS() as KubeObject | null;
    })
    .filter((o): o is KubeObject => Boolean(o?.kind));
}

function inNamespace(obj: KubeObject, namespace: string): KubeObject {
  const out = structuredClone(obj) as KubeObject & { subjects?: Array<{ kind: string; namespace?: string }> };
  if (obj.kind === "Namespace") out.metadata.name = namespace;
  else if (!clusterScoped.has(obj.kind)) out.metadata.namespace = namespace;
  for (const s of out.subjects ?? []) if (s.kind === "ServiceAccount") s.namespace = namespace;
  return out;
}
