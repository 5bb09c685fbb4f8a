import { allKinds } from "../api/kinds.ts";
import { KubeClient } from "../runtime/kube/client.ts";
import { loadConnection } from "../runtime/kube/kubeconfig.ts";
import { ObjectApi } from "../runtime/kube/objects.ts";
import type { ClusterFlags } from "./cluster_flags.ts";
import { devKubeconfigFallback } from "./connection.ts";
import { refOfKind } from "../runtime/kube/resource_ref.ts";

/** An open connection to one cluster plus the namespace the command acts on. */
export interface Cluster {
  api: ObjectApi;
  client: KubeClient;
  server: string;
  /** undefined with -A. */
  namespace: string | undefined;
  close(): Promise<void>;
}

/** Connects as kubectl would: --kubeconfig, KUBECONFIG, the dev cluster's kubeconfig, ~/.kube/config. */
export function openCluster(flags: ClusterFlags): Cluster {
  const conn = loadConnection({ kubeconfig: flags.kubeconfig, context: flags.context, fallbackPaths: devKubeconfigFallback() });
  const client = new KubeClient(conn, { qps: 0, userAgent: "sluice-cli" });
  const api = new ObjectApi(client);
  // Our own kinds need no discovery round trip.
  for (const def of allKinds) api.discovery.seed(refOfKind(def));
  return {
    api,
    client,
    server: conn.server,
    namespace: flags.allNamespaces ? undefined : flags.namespace,
    close: () => client.close(),
  };
}
