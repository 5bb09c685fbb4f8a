/**
 * Deletion with deletionPolicy on the real control plane: WaitForTermination keeps the
 * Kustomization until the objects it deleted are gone (here held by a finalizer the test removes),
 * woken by the owned-objects watch; Delete deletes them and goes at once.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { freshNamespace } from "../support/cluster.ts";
import { artifactServerForSuite, core, createGitRepository, eventually, ksRef, kustomization, startKustomize, waitReady } from "./kustomize_support.ts";

const configMaps = core("configmaps", "ConfigMap");
const held = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  finalizers: [e2e.sluice.dev/hold]\ndata:\n  k: "1"\n`;

describe("kustomize: deletion waits for termination", () => {
  const server = artifactServerForSuite();

  it("WaitForTermination: gone only after its objects are; Delete: gone at once", async (t) => {
    const ns = await freshNamespace("ks-final", t);
    const { manager } = await startKustomize(ns, t);
    const api = manager.api;
    const art = await server.publish({ "wait/cm.yaml": held("waited"), "nowait/cm.yaml": held("not-waited") });
    await createGitRepository(api, ns, "repo", art);
    await api.create(ksRef, kustomization(ns, "wait", { path: "./wait", targetNamespace: ns, deletionPolicy: "WaitForTermination", timeout: "2m" }));
    await api.create(ksRef, kustomization(ns, "nowait", { path: "./nowait", targetNamespace: ns, deletionPolicy: "Delete" }));
    await waitReady(api, ns, "wait", { revision: art.revision });
    await waitReady(api, ns, "nowait", { revision: art.revision });

    await api.delete(ksRef, ns, "nowait");
    await eventually("Kustomization nowait gone", async () => (await api.find(ksRef, ns, "nowait")) === undefined, 10_000);
    const notWaited = await api.get(configMaps, ns, "not-waited");
    assert.ok(notWaited.metadata.deletionTimestamp, "deleted, still held by its finalizer");
    await api.mergePatch(configMaps, ns, "not-waited", { metadata: { finalizers: null } });

    await api.delete(ksRef, ns, "wait");
    await eventually("waited being deleted", async () => (await api.get(configMaps, ns, "waited")).metadata.deletionTimestamp !== undefined);
    await new Promise((r) => setTimeout(r, 2_000));
    const waiting = await api.find(ksRef, ns, "wait");
    assert.ok(waiting?.metadata.deletionTimestamp, "the Kustomization waits for its object");

    const released = performance.now();
    await api.mergePatch(configMaps, ns, "waited", { metadata: { finalizers: null } });
    let objectGone: number | undefined;
    const ksGone = await eventually("Kustomization wait gone", async () => {
      const now = performance.now();
      if (objectGone === undefined && !(await api.find(configMaps, ns, "waited"))) objectGone = now;
      return (await api.find(ksRef, ns, "wait")) === undefined ? performance.now() : undefined;
    }, 10_000);
    assert.ok(objectGone !== undefined && objectGone <= ksGone, "the object went first");
    t.diagnostic(`Kustomization gone ${Math.round(ksGone - released)}ms after the finalizer was removed`);
  });
});
