/**
 * The install manifests (config/, built with the real kustomize), moved into a namespace of a
 * test's own so they can be applied to the shared test cluster without touching anyone else.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "../../src/api/meta.ts";
import { binaryPath } from "../../src/dev/build_tools.ts";
import { componentByName } from "../../src/dev/components.ts";

const configDir = fileURLToPath(new URL("../../config", import.meta.url));

/** Kinds the install has that are not namespaced. */
export const clusterScopedKinds = new Set(["CustomResourceDefinition", "Namespace", "ClusterRole", "ClusterRoleBinding"]);

/** `kustomize build config/`, as objects. */
export async function buildInstallConfig(): Promise<KubeObject[]> {
  const cached = binaryPath(componentByName("kustomize"), "kustomize");
  const kustomize = existsSync(cached) ? cached : "kustomize";
  const { stdout } = await promisify(execFile)(kustomize, ["build", configDir], { maxBuffer: 64 * 1024 * 1024 });
  return parseAllDocuments(stdout).map((d) => d.toJS() as KubeObject).filter(Boolean);
}

/** Moves the install into namespace `ns` and gives cluster-scoped RBAC a suffix. */
export function retargetInstall(objects: KubeObject[], ns: string, suffix: string): KubeObject[] {
  return objects.map((o) => {
    const obj = structuredClone(o) as KubeObject & { subjects?: Array<{ kind: string; namespace?: string }>; roleRef?: { kind: string; name: string } };
    if (obj.kind === "Namespace") obj.metadata.name = ns;
    else if (!clusterScopedKinds.has(obj.kind)) obj.metadata.namespace = ns;
    if (obj.kind === "ClusterRole" || obj.kind === "ClusterRoleBinding") obj.metadata.name = `${obj.metadata.name}-${suffix}`;
    for (const s of obj.subjects ?? []) if (s.kind === "ServiceAccount") s.namespace = ns;
    if (obj.kind === "ClusterRoleBinding" && obj.roleRef?.kind === "ClusterRole" && obj.roleRef.name.startsWith("sluice-")) {
      obj.roleRef.name = `${obj.roleRef.name}-${suffix}`;
    }
    return obj;
  });
}
