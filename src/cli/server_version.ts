import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { KubeObject } from "../api/meta.ts";
import type { KubeClient } from "../runtime/kube/client.ts";
import type { Cluster } from "./open_cluster.ts";
import { deploymentRef } from "./kube_refs.ts";

/** The CLI's own version, from package.json. */
export function clientVersion(): string {
  const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "package.json"), "utf8")) as { version: string };
  return pkg.version;
}

/** The API server's version, e.g. v1.37.2. */
export async function serverVersion(client: KubeClient): Promise<string> {
  const v = await client.request<{ gitVersion: string }>({ method: "GET", path: "/version" });
  return v.gitVersion;
}

export interface InstalledController {
  name: string;
  image: string;
  deployment: KubeObject;
}

/** The Sluice controllers installed in the namespace (Deployments labelled part-of=sluice). */
export async function installedControllers(cluster: Cluster, namespace: string): Promise<InstalledController[]> {
  const list = await cluster.api.list(deploymentRef, namespace, { labelSelector: "app.kubernetes.io/part-of=sluice" });
  return list.items.map((d) => {
    const containers = (d.spec as { template?: { spec?: { containers?: Array<{ name: string; image: string }> } } }).template?.spec?.containers ?? [];
    const manager = containers.find((c) => c.name === "manager") ?? containers[0];
    return { name: d.metadata.name!, image: manager?.image ?? "", deployment: { ...d, apiVersion: "apps/v1", kind: "Deployment" } };
  });
}
