import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { kubeRequestOk } from "./kube_request.ts";
import { kwokModuleDir } from "./kwok_stages.ts";
import type { KubeConnection } from "./read_kubeconfig.ts";

/**
 * kwok's kinds that it reads from the cluster (kwok's --enable-crds) rather than from its --config:
 * Logs and ClusterLogs map a pod's containers to a file, which kwok's server streams as their log.
 */
export const kwokCrdKinds = ["Logs", "ClusterLogs"];

const crdFiles = ["kwok.x-k8s.io_logs.yaml", "kwok.x-k8s.io_clusterlogs.yaml"];

/** Server-side applies the CRDs of kwokCrdKinds, as shipped in kwok's module; returns their names. */
export async function applyKwokCrds(conn: KubeConnection): Promise<string[]> {
  const dir = join(await kwokModuleDir(), "kustomize", "crd", "bases");
  return Promise.all(crdFiles.map(async (file) => {
    const yaml = await readFile(join(dir, file), "utf8");
    const name = (parse(yaml) as { metadata: { name: string } }).metadata.name;
    await kubeRequestOk(conn, {
      method: "PATCH",
      path: `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}?fieldManager=sluice-dev&force=true`,
      body: yaml,
      contentType: "application/apply-patch+yaml",
    });
    return name;
  }));
}
