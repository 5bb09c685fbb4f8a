import { kubeRequest, kubeRequestOk } from "./kube_request.ts";
import type { KubeConnection } from "./read_kubeconfig.ts";

export const fakeNodeCount = 3;

export function fakeNodeName(i: number): string {
  return `kwok-node-${i}`;
}

/** A Node that kwok (selecting on the kwok.x-k8s.io/node=fake annotation) pretends to run. */
export function fakeNode(name: string): object {
  const resources = { cpu: "32", memory: "256Gi", pods: "110" };
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      annotations: { "kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0" },
      labels: {
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/role": "agent",
        "node-role.kubernetes.io/agent": "",
        type: "kwok",
      },
    },
    spec: {},
    status: { allocatable: resources, capacity: resources },
  };
}

/** Creates the fake nodes that do not exist yet. */
export async function ensureFakeNodes(conn: KubeConnection, count = fakeNodeCount): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const name = fakeNodeName(i);
      const existing = await kubeRequest(conn, { path: `/api/v1/nodes/${name}` });
      if (existing.status === 200) return;
      await kubeRequestOk(conn, { method: "POST", path: "/api/v1/nodes", body: fakeNode(name) }, [409]);
    }),
  );
}

/**
 * Sets the fake nodes' InternalIP and kubelet port (status), so that the API server's calls to their
 * kubelet (pod logs) reach `ip:port`.
 */
export async function pointFakeNodesAt(conn: KubeConnection, ip: string, port: number, count = fakeNodeCount): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, (_, i) => {
      const name = fakeNodeName(i);
      const status = {
        addresses: [{ type: "InternalIP", address: ip }, { type: "Hostname", address: name }],
        daemonEndpoints: { kubeletEndpoint: { Port: port } },
      };
      return kubeRequestOk(conn, { method: "PATCH", path: `/api/v1/nodes/${name}/status`, body: { status }, contentType: "application/merge-patch+json" });
    }),
  );
}

/**
 * Deletes the fake nodes' Leases left by an earlier kwok. Each kwok run holds them under a new
 * identity, and would otherwise wait out the old holder's lease (40 s) before its first heartbeat.
 */
export async function releaseFakeNodeLeases(conn: KubeConnection, count = fakeNodeCount): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      kubeRequestOk(conn, { method: "DELETE", path: `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${fakeNodeName(i)}` }, [404]),
    ),
  );
}

interface NodeList {
  items: {
    metadata: { name: string };
    spec?: { taints?: { key: string }[] };
    status?: { conditions?: { type: string; status: string }[] };
  }[];
}

const startupTaints = ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable", "node.cloudprovider.kubernetes.io/uninitialized"];

interface LeaseList {
  items: { metadata: { name: string }; spec?: { renewTime?: string } }[];
}

/**
 * Names of fake nodes that are not yet Ready, still carry a not-ready/unreachable taint, or whose
 * node Lease kwok has not renewed since `since`: on kept data a node's saved Ready status is
 * there before kwok runs, so only a fresh heartbeat shows that kwok is looking after it.
 */
export async function unreadyFakeNodes(conn: KubeConnection, since?: Date, count = fakeNodeCount): Promise<string[]> {
  const list = (await kubeRequestOk(conn, { path: "/api/v1/nodes" })).json<NodeList>();
  const leases = since ? (await kubeRequestOk(conn, { path: "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases" })).json<LeaseList>() : undefined;
  return Array.from({ length: count }, (_, i) => fakeNodeName(i)).filter((name) => {
    const node = list.items.find((n) => n.metadata.name === name);
    if (!node) return true;
    const ready = node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True");
    const tainted = node.spec?.taints?.some((t) => startupTaints.includes(t.key));
    const renewed = leases?.items.find((l) => l.metadata.name === name)?.spec?.renewTime;
    const stale = since !== undefined && (!renewed || Date.parse(renewed) < since.getTime());
    return !ready || tainted || stale;
  });
}
