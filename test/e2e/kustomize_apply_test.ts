/**
 * Kustomization end to end on the real control plane: a GitRepository artifact is fetched,
 * built (generated kustomization.yaml), applied with owner labels, recorded in the inventory,
 * pruned when a file leaves the source, and cleaned up when the Kustomization is deleted.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Kustomization } from "../../src/api/kustomize/kustomization.ts";
import { annotations } from "../../src/api/meta.ts";
import { isNotFound } from "../../src/runtime/kube/api_error.ts";
import { KubeClient } from "../../src/runtime/kube/client.ts";
import { fromKubeconfigFile } from "../../src/runtime/kube/kubeconfig.ts";
import { ObjectApi } from "../../src/runtime/kube/objects.ts";
import { freshNamespace } from "../support/cluster.ts";
import { startTestManager, type TestManager, testKubeconfigPath } from "../support/test_manager.ts";
import {
  artifactServerForSuite, configMap, core, createGitRepository, deployment, deploymentRef, eventually, ksRef, kustomization,
  kustomizeBinary, service, setArtifact, startKustomize, waitReady,
} from "./kustomize_support.ts";

describe("kustomize: apply, inventory, prune", () => {
  const server = artifactServerForSuite();

  it("applies a source's manifests, prunes what leaves it, and cleans up on delete", async (t) => {
    const ns = await freshNamespace("ks-apply", t);
    const tm: TestManager = await startKustomize(ns, t);
    const api = tm.manager.api;

    const rev1 = await server.publish({
      "app/config.yaml": configMap("settings"),
      "app/workload.yaml": `${deployment("web")}---\n${service("web")}`,
      "README.md": "not yaml",
    });
    await createGitRepository(api, ns, "repo", rev1);
    await api.create(ksRef, kustomization(ns, "app", { path: "./app", wait: true, targetNamespace: ns }));

    const ks = await waitReady(api, ns, "app", { revision: rev1.revision });
    assert.equal(ks.status?.lastAttemptedRevision, rev1.revision);
    assert.match(ks.status!.conditions!.find((c) => c.type === "Ready")!.message, /^Applied revision: main@sha1:/);
    assert.equal(ks.status!.conditions!.find((c) => c.type === "Healthy")?.status, "True");
    assert.deepEqual(ks.status?.inventory?.entries, [
      { id: `${ns}_settings__ConfigMap`, v: "v1" },
      { id: `${ns}_web__Service`, v: "v1" },
      { id: `${ns}_web_apps_Deployment`, v: "v1" },
    ]);
    const cm = await api.get<{ metadata: { labels: Record<string, string> } }>(core("configmaps", "ConfigMap"), ns, "settings");
    assert.equal(cm.metadata.labels["kustomize.toolkit.fluxcd.io/name"], "app");
    assert.equal(cm.metadata.labels["kustomize.toolkit.fluxcd.io/namespace"], ns);

    // A new revision drops the ConfigMap and scales the Deployment: the ConfigMap is pruned.
    const rev2 = await server.publish({ "app/workload.yaml": `${deployment("web", 1)}---\n${service("web")}` });
    await setArtifact(api, ns, "repo", rev2);
    const ks2 = await waitReady(api, ns, "app", { revision: rev2.revision });
    assert.deepEqual(ks2.status?.inventory?.entries.map((e) => e.id), [`${ns}_web__Service`, `${ns}_web_apps_Deployment`]);
    assert.equal(await api.find(core("configmaps", "ConfigMap"), ns, "settings"), undefined);
    const d = await api.get<{ spec: { replicas: number } }>(deploymentRef, ns, "web");
    assert.equal(d.spec.replicas, 1);
    // status.history: one snapshot per distinct build and outcome, newest first.
    const history = ks2.status?.history ?? [];
    assert.deepEqual(history.map((h) => [h.lastReconciledStatus, h.metadata?.revision, h.totalReconciliations]), [
      ["ReconciliationSucceeded", rev2.revision, 1],
      ["ReconciliationSucceeded", rev1.revision, 1],
    ]);
    assert.match(history[0].digest, /^sha256:[0-9a-f]{64}$/);
    assert.notEqual(history[0].digest, history[1].digest);

    // Deleting the Kustomization (prune: true, MirrorPrune) deletes what it applied.
    await api.delete(ksRef, ns, "app");
    await eventually("Kustomization gone", async () => isNotFound(await api.get(ksRef, ns, "app").then(() => undefined, (e) => e)));
    await eventually("Deployment deleted", async () => (await api.find(deploymentRef, ns, "web")) === undefined || undefined);
    assert.equal(await api.find(core("services", "Service"), ns, "web"), undefined);
  });

  it("a no-op reconcile sends nothing per object; a field we own changed by someone else is put back", async (t) => {
    const ns = await freshNamespace("ks-noop", t);
    const requests: string[] = [];
    const tm = await startTestManager(ns, ["kustomize"], {
      flags: { kustomizeBinary: kustomizeBinary() },
      manager: { onApiResponse: (verb, _code, _s, req) => requests.push(`${verb} ${req.path}`) },
    });
    t.after(async () => {
      await tm.manager.api.delete(ksRef, ns, "app").catch(() => undefined);
      await eventually("Kustomization finalized", async () => (await tm.manager.api.find(ksRef, ns, "app")) === undefined || undefined, 20_000).catch(() => undefined);
      await tm.stop();
    });
    // The test's own requests go through a client of its own, so that `requests` holds the controller's alone.
    const client = new KubeClient(fromKubeconfigFile(testKubeconfigPath()), { qps: 0 });
    t.after(() => client.close());
    const api = new ObjectApi(client);
    const rev = await server.publish({ "app/config.yaml": configMap("settings", { a: "1" }), "app/workload.yaml": deployment("web") });
    await createGitRepository(api, ns, "repo", rev);
    await api.create(ksRef, kustomization(ns, "app", { path: "./app", wait: true, targetNamespace: ns }));
    await waitReady(api, ns, "app", { revision: rev.revision });
    // kube-controller-manager has written the Deployment's status (and a revision annotation) since our apply.
    await eventually("the Deployment's status", async () => (await api.get<{ status?: { observedGeneration?: number } }>(deploymentRef, ns, "web")).status?.observedGeneration === 1 || undefined);

    const reconcile = async (token: string) => {
      requests.length = 0;
      await api.mergePatch(ksRef, ns, "app", { metadata: { annotations: { [annotations.requestedAt]: token } } });
      await eventually(`reconcile ${token}`, async () => (await api.get<Kustomization>(ksRef, ns, "app")).status?.lastHandledReconcileAt === token || undefined);
      return requests.filter((r) => !r.startsWith("GET") && !r.startsWith("WATCH"));
    };
    // Only status writes (lastHandledReconcileAt, status.history); another reconcile may slip in under load, and writes its status too.
    const noop = await reconcile("noop");
    const status = `PATCH /apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${ns}/kustomizations/app/status`;
    assert.ok(noop.length >= 1 && noop.every((r) => r === status), `only the status is written, got:\n${noop.join("\n")}`);

    await api.mergePatch(core("configmaps", "ConfigMap"), ns, "settings", { data: { a: "changed by hand" } });
    const fixed = await reconcile("drift");
    assert.ok(fixed.some((r) => r.includes("/configmaps/settings")), "the ConfigMap is checked and applied again");
    assert.ok(!fixed.some((r) => r.includes("/deployments/web")), "the Deployment is not");
    const cm = await api.get<{ data: Record<string, string> }>(core("configmaps", "ConfigMap"), ns, "settings");
    assert.equal(cm.data.a, "1");
  });
});
