/**
 * --watch-label-selector sharding: each manager reconciles only the objects whose labels match its
 * selector, and an object relabelled to another shard moves to that shard's manager.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { KubeClient } from "../../src/runtime/kube/client.ts";
import { fromKubeconfigFile } from "../../src/runtime/kube/kubeconfig.ts";
import { ObjectApi } from "../../src/runtime/kube/objects.ts";
import { applyWidgetCrd, createTestNamespace, deleteTestNamespace, eventually, startWidgetManager, type Widget, widget, widgetRef } from "../support/test_crd.ts";
import { testKubeconfigPath } from "../support/test_manager.ts";

const connection = fromKubeconfigFile(testKubeconfigPath());
const client = new KubeClient(connection, { qps: 0 });
const api = new ObjectApi(client);
const key = "sharding.fluxcd.io/key";

describe("runtime: sharding by label selector", () => {
  before(() => applyWidgetCrd(api));
  after(() => client.close());

  it("reconciles each object in the manager of its shard only", async (t) => {
    const ns = await createTestNamespace(api, "rt-shard");
    const shards = await Promise.all(
      ["shard1", "shard2"].map((s) => startWidgetManager(connection, ns, { reconciler: { identity: s, finalizer: false }, manager: { labelSelector: `${key}=${s}` } })),
    );
    t.after(async () => {
      await Promise.all(shards.map((m) => m.stop()));
      await deleteTestNamespace(api, ns);
    });

    await api.create(widgetRef, widget(ns, "a", { value: "1" }, { [key]: "shard1" }));
    await api.create(widgetRef, widget(ns, "b", { value: "1" }, { [key]: "shard2" }));
    await api.create(widgetRef, widget(ns, "unsharded", { value: "1" }));
    await eventually("a and b reconciled", async () => {
      const { items } = await api.list<Widget>(widgetRef, ns);
      const by = Object.fromEntries(items.map((w) => [w.metadata.name, w.status?.reconciledBy]));
      return by.a === "shard1" && by.b === "shard2";
    });
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await api.get<Widget>(widgetRef, ns, "unsharded")).status?.reconciledBy, undefined, "no shard owns it");
    assert.deepEqual(shards[0].calls.map((c) => c.key), [`${ns}/a`]);
    assert.deepEqual(shards[1].calls.map((c) => c.key), [`${ns}/b`]);

    await api.mergePatch(widgetRef, ns, "a", { metadata: { labels: { [key]: "shard2" } }, spec: { value: "2" } });
    await eventually("a moved to shard2", async () => (await api.get<Widget>(widgetRef, ns, "a")).status?.reconciledBy === "shard2");
    assert.equal(shards[0].calls.length, 1, "shard1 let it go");
  });
});
