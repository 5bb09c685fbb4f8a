import { stringify } from "yaml";
import { toCrd } from "./crd.ts";
import { allKinds } from "./kinds.ts";

/** file name → YAML text of every CRD, plus the kustomization.yaml listing them. */
export function renderCrdFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const header = "# Generated from src/api by scripts/generate_crds.ts. Do not edit.\n";
  for (const def of allKinds) {
    files.set(`${def.group}_${def.plural}.yaml`, header + stringify(toCrd(def), { lineWidth: 0 }));
  }
  const resources = [...files.keys()].sort();
  files.set("kustomization.yaml", header + stringify({ apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization", resources }));
  return files;
}
