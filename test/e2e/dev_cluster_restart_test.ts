/**
 * `sluice dev down` then `up` on kept data: the nodes count as Ready only once this kwok has
 * heartbeated them, and that happens at once (not after the old kwok's leases expire).
 */
import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { startDevCluster, stopDevCluster } from "../../src/dev/cluster.ts";
import { fakeNodeCount, fakeNodeName } from "../../src/dev/fake_nodes.ts";
import { KubeClient } from "../../src/runtime/kube/client.ts";
import { fromKubeconfigFile } from "../../src/runtime/kube/kubeconfig.ts";

const stateDir = await mkdtemp(join(tmpdir(), "sluice-dev-restart-"));
const start = () => startDevCluster({ stateDir, crdDir: null, stopWhenProcessExits: process.pid, progress: () => {} });
after(() => stopDevCluster({ stateDir, removeStateDir: true }));

test("up on kept data waits for a fresh heartbeat of every node, and gets it within seconds", async () => {
  await start();
  await stopDevCluster({ stateDir, removeStateDir: false });
  const restarted = Date.now();
  const cluster = await start();
  assert.ok(cluster.startSeconds < 20, `second up took ${cluster.startSeconds}s`);

  const client = new KubeClient(fromKubeconfigFile(cluster.kubeconfig), { qps: 0 });
  try {
    for (let i = 0; i < fakeNodeCount; i++) {
      const lease = await client.request<{ spec: { renewTime: string } }>({ method: "GET", path: `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${fakeNodeName(i)}` });
      assert.ok(Date.parse(lease.spec.renewTime) >= restarted - 1000, `${fakeNodeName(i)} renewed at ${lease.spec.renewTime}, before the restart`);
    }
  } finally {
    await client.close();
  }
});
