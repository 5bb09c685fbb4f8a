import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { KubeObject } from "../api/meta.ts";
import { kubeconfigFile } from "../runtime/kube/kubeconfig.ts";
import type { ResourceRef } from "../runtime/kube/resource_ref.ts";
import { kindByName } from "./cli_kinds.ts";
import type { CompletionConnection, CompletionLookup } from "./completion_lookup.ts";
import { devKubeconfigFallback } from "./connection.ts";
import { type Cluster, openCluster } from "./open_cluster.ts";

const namespaceRef: ResourceRef = { group: "", version: "v1", resource: "namespaces", kind: "Namespace", namespaced: false };

/**
 * Looks names up in the cluster the words name, through the CLI's own connection code. A cluster
 * that does not answer within `timeoutMs` (or at all) gives no names; nothing is ever printed.
 */
export function clusterLookup(timeoutMs = 2000): CompletionLookup {
  return {
    names: (kind, conn) =>
      withCluster(conn, timeoutMs, async (cluster) => {
        const ref = kindByName(kind.kind)?.ref ?? (await cluster.api.discovery.resolve(kind.apiVersion, kind.kind));
        const list = await cluster.api.listAll<KubeObject>(ref, ref.namespaced ? cluster.namespace : undefined);
        return list.items.map((o) => o.metadata.name!);
      }),
    namespaces: (conn) =>
      withCluster(conn, timeoutMs, async (cluster) => (await cluster.api.listAll<KubeObject>(namespaceRef)).items.map((o) => o.metadata.name!)),
    contexts: async (conn) => {
      try {
        const path = kubeconfigFile({ kubeconfig: conn.kubeconfig, fallbackPaths: devKubeconfigFallback() });
        const raw = path ? (parse(readFileSync(path, "utf8")) as { contexts?: Array<{ name?: string }> }) : undefined;
        return (raw?.contexts ?? []).map((c) => c.name ?? "").filter(Boolean);
      } catch {
        return [];
      }
    },
  };
}

async function withCluster(conn: CompletionConnection, timeoutMs: number, fn: (cluster: Cluster) => Promise<string[]>): Promise<string[]> {
  let cluster: Cluster;
  try {
    cluster = openCluster({ ...conn, timeout: timeoutMs });
  } catch {
    return [];
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string[]>((resolve) => {
    timer = setTimeout(() => resolve([]), timeoutMs);
  });
  try {
    return await Promise.race([fn(cluster).catch(() => []), timeout]);
  } finally {
    clearTimeout(timer);
    // Not awaited: closing waits for a request still hanging on a silent server.
    void cluster.close().catch(() => undefined);
  }
}

