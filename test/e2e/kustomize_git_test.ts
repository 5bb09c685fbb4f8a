/**
 * The whole loop with the real source controller: a local git server, a GitRepository and a
 * Kustomization. A commit shows up in the cluster as soon as the GitRepository is asked to
 * reconcile; removing a file prunes its object; with the git server down the last applied
 * revision stays applied.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { annotations } from "../../src/api/meta.ts";
import { freshNamespace } from "../support/cluster.ts";
import { GitFixtures, type GitHttpServer, startGitHttpServer, type TestRepo } from "../support/git_server.ts";
import { startTestManager } from "../support/test_manager.ts";
import { configMap, core, deployment, eventually, gitRef, ksRef, kustomization, kustomizeBinary, waitReady } from "./kustomize_support.ts";

describe("kustomize: GitRepository to cluster, end to end", () => {
  let fixtures: GitFixtures;
  let server: GitHttpServer;
  let repo: TestRepo;
  before(async () => {
    fixtures = await GitFixtures.create();
    server = await startGitHttpServer(fixtures.root);
    repo = await fixtures.repo("fleet");
  });
  after(async () => {
    await server.stop();
    await fixtures.cleanup();
  });

  it("applies commits within moments and prunes removed files", async (t) => {
    const ns = await freshNamespace("ks-git", t);
    const tm = await startTestManager(ns, ["source", "kustomize"], { flags: { kustomizeBinary: kustomizeBinary() } });
    t.after(async () => {
      await tm.manager.api.delete(ksRef, ns, "apps").catch(() => undefined);
      await eventually("Kustomization finalized", async () => (await tm.manager.api.find(ksRef, ns, "apps")) === undefined || undefined, 20_000).catch(() => undefined);
      // The GitRepository's finalizer needs the source controller: delete it while that still runs.
      await tm.manager.api.delete(gitRef, ns, "fleet").catch(() => undefined);
      await eventually("GitRepository finalized", async () => (await tm.manager.api.find(gitRef, ns, "fleet")) === undefined || undefined, 20_000).catch(() => undefined);
      await tm.stop();
    });
    const api = tm.manager.api;
    const sha1 = await repo.commit({ "apps/web.yaml": deployment("web"), "apps/settings.yaml": configMap("settings") }, "first");
    await api.create(gitRef, {
      apiVersion: "source.toolkit.fluxcd.io/v1",
      kind: "GitRepository",
      metadata: { name: "fleet", namespace: ns },
      spec: { url: server.url("fleet"), interval: "10m", ref: { branch: "main" } },
    });
    await api.create(ksRef, kustomization(ns, "apps", { path: "./apps", targetNamespace: ns, wait: true, sourceRef: { kind: "GitRepository", name: "fleet" } }));
    const ks = await waitReady(api, ns, "apps", { revision: `main@sha1:${sha1}` }, 60_000);
    assert.equal(ks.status!.inventory!.entries.length, 2);

    // A commit, then a reconcile request on the GitRepository (what a webhook receiver does).
    const sha2 = await repo.commit({ "apps/settings.yaml": null, "apps/extra.yaml": configMap("extra", { b: "2" }) }, "second");
    const asked = performance.now();
    await api.mergePatch(gitRef, ns, "fleet", { metadata: { annotations: { [annotations.requestedAt]: new Date().toISOString() } } });
    await waitReady(api, ns, "apps", { revision: `main@sha1:${sha2}` }, 60_000);
    const ms = Math.round(performance.now() - asked);
    console.log(`# commit applied ${ms}ms after the reconcile request`);
    assert.equal(await api.find(core("configmaps", "ConfigMap"), ns, "settings"), undefined, "settings.yaml left the repo: pruned");
    assert.ok(await api.find(core("configmaps", "ConfigMap"), ns, "extra"));

    // The git server goes down: the source fails, the applied revision stays applied.
    server.down = true;
    t.after(() => {
      server.down = false;
    });
    await repo.commit({ "apps/extra.yaml": configMap("extra", { b: "3" }) }, "third");
    await api.mergePatch(gitRef, ns, "fleet", { metadata: { annotations: { [annotations.requestedAt]: `down-${Date.now()}` } } });
    await eventually("GitRepository not Ready", async () => {
      const g = await api.get<{ status?: { conditions?: Array<{ type: string; status: string }> } }>(gitRef, ns, "fleet");
      return g.status?.conditions?.find((c) => c.type === "Ready")?.status === "False" || undefined;
    }, 60_000);
    const still = await waitReady(api, ns, "apps", { revision: `main@sha1:${sha2}` });
    assert.equal(still.status!.inventory!.entries.length, 2);
    assert.ok(await api.find(core("configmaps", "ConfigMap"), ns, "extra"));
  });
});
