/**
 * kube-apiserver restarted mid-watch: the informer resumes (relisting if it must) and no update is
 * missed. Runs on a throwaway control plane of its own so that restarting its API server disturbs
 * nobody else's tests.
 */
import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startDevCluster, stopDevCluster } from "../../src/dev/cluster.ts";
import { restartComponent } from "../../src/dev/restart_component.ts";
import { KubeClient } from "../../src/runtime/kube/client.ts";
import { type ClusterConnection, fromKubeconfigFile } from "../../src/runtime/kube/kubeconfig.ts";
import { ObjectApi } from "../../src/runtime/kube/objects.ts";
import {
  applyWidgetCrd,
  createTestNamespace,
  eventually,
  startWidgetManager,
  type Widget,
  type WidgetManager,
  widget,
  widgetRef,
} from "../support/test_crd.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Retries a write until the API server takes it (it may be down). */
async function persist<T>(what: string, fn: () => Promise<T>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`${what}: ${String(err)}`);
      await sleep(100);
    }
  }
}

describe("runtime: kube-apiserver restart", () => {
  let stateDir: string;
  let connection: ClusterConnection;
  let client: KubeClient;
  let api: ObjectApi;

  before(async () => {
    stateDir = await mkdtemp(join(tmpdir(), "sluice-restart-"));
    const cluster = await startDevCluster({ stateDir, crdDir: null, stopWhenProcessExits: process.pid, removeStateDir: true, progress: () => {} });
    connection = fromKubeconfigFile(cluster.kubeconfig);
    client = new KubeClient(connection, { qps: 0 });
    api = new ObjectApi(client);
    await applyWidgetCrd(api, 60_000);
  });
  after(async () => {
    await client?.close();
    await stopDevCluster({ stateDir, removeStateDir: true });
  });

  it("resumes the watch after a restart and misses no update", { timeout: 240_000 }, async (t) => {
    const ns = await createTestNamespace(api, "rt-restart");
    const wm: WidgetManager = await startWidgetManager(connection, ns, { reconciler: { finalizer: false } });
    t.after(() => wm.stop());
    const informer = wm.controller.informer;

    const expected = new Map<string, string>();
    for (let i = 0; i < 8; i++) {
      await api.create(widgetRef, widget(ns, `w${i}`, { value: "0" }));
      expected.set(`w${i}`, "0");
    }
    await eventually("the first round Ready", async () => {
      const { items } = await api.list<Widget>(widgetRef, ns);
      return items.length === 8 && items.every((w) => w.status?.value === "0");
    }, 60_000);

    // Keep writing through the restart: updates, creations and deletions.
    let stop = false;
    let round = 0;
    let extra = 0;
    const writer = (async () => {
      while (!stop) {
        round++;
        for (const name of [...expected.keys()]) {
          const value = String(round);
          await persist(`update ${name}`, () => api.mergePatch(widgetRef, ns, name, { spec: { value } }));
          expected.set(name, value);
        }
        const created = `x${extra++}`;
        await persist(`create ${created}`, async () => {
          try {
            await api.create(widgetRef, widget(ns, created, { value: String(round) }));
          } catch (err) {
            if ((err as { code?: number }).code !== 409) throw err;
          }
        });
        expected.set(created, String(round));
        if (extra % 2 === 0) {
          const gone = `x${extra - 2}`;
          await persist(`delete ${gone}`, () => api.delete(widgetRef, ns, gone));
          expected.delete(gone);
        }
        await sleep(50);
      }
    })();

    await sleep(500);
    const restartedAt = Date.now();
    await restartComponent("kube-apiserver", { stateDir, downMs: 1_000 });
    t.diagnostic(`kube-apiserver back after ${Date.now() - restartedAt} ms`);
    const roundAtRestart = round;
    await eventually("two more rounds of writes", () => round >= roundAtRestart + 2, 60_000);
    stop = true;
    await writer;

    await eventually("the informer to hold every object at its last written value", () => {
      const cached = new Map(informer.list(ns).map((w) => [w.metadata.name!, (w as Widget).spec.value]));
      return cached.size === expected.size && [...expected].every(([name, value]) => cached.get(name) === value);
    }, 60_000);
    await eventually("every object reconciled at its last value", async () => {
      const { items } = await api.list<Widget>(widgetRef, ns);
      return items.length === expected.size && items.every((w) => w.status?.value === expected.get(w.metadata.name!));
    }, 60_000);

    const relists = wm.logs.filter((l) => l.msg === "watch failed; relisting");
    t.diagnostic(`${relists.length} watch failure(s) logged; ${round} rounds written; ${expected.size} objects`);
    assert.ok(relists.length >= 1, "the watch did break");
  });
});
