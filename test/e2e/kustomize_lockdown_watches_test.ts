/**
 * The kustomize controller in a lockdown, in this process: its own identity is a ServiceAccount
 * that may read Kustomizations and sources and impersonate service accounts, and nothing it applies.
 * Health is then read from watches made as each Kustomization's service account
 * (src/kustomize/local_watches.ts). A no-op reconcile asks no SelfSubjectAccessReview (answers are
 * kept for a TTL), a Role granted later is seen by the next requested reconcile, and a service
 * account's watches stop once no Kustomization uses them (idle delay shortened here).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Kustomization } from "../../src/api/kustomize/kustomization.ts";
import type { Manager } from "../../src/runtime/manager.ts";
import { KubeClient } from "../../src/runtime/kube/client.ts";
import { fromKubeconfigFile } from "../../src/runtime/kube/kubeconfig.ts";
import { ObjectApi } from "../../src/runtime/kube/objects.ts";
import { parseKubeconfig } from "../../src/runtime/kube/parse_kubeconfig.ts";
import { findCondition } from "../../src/runtime/status/conditions.ts";
import { freshNamespace } from "../support/cluster.ts";
import { startTestManager, testKubeconfigPath } from "../support/test_manager.ts";
import { type Rule, serviceAccount, serviceAccountKubeconfig } from "../support/service_accounts.ts";
import { artifactServerForSuite, configMap, createGitRepository, eventually, getKs, ksRef, kustomization, kustomizeBinary, readyOf, waitReady } from "./kustomize_support.ts";

const rbac = (resource: string, kind: string) => ({ group: "rbac.authorization.k8s.io", version: "v1", resource, kind, namespaced: true });
const ssarPath = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
const gauge = "sluice_kustomize_account_watch_sets";

/**
 * The controller's own rules (config/rbac/kustomize_controller.yaml, (1)), in one namespace only: it
 * may list ConfigMaps here, not across namespaces, so the owned-objects watch is the tenant's.
 */
const controllerRules: Rule[] = [
  { apiGroups: ["kustomize.toolkit.fluxcd.io"], resources: ["kustomizations"], verbs: ["get", "list", "watch", "patch", "update"] },
  { apiGroups: ["kustomize.toolkit.fluxcd.io"], resources: ["kustomizations/status"], verbs: ["get", "patch", "update"] },
  { apiGroups: ["kustomize.toolkit.fluxcd.io"], resources: ["kustomizations/finalizers"], verbs: ["update"] },
  { apiGroups: ["source.toolkit.fluxcd.io"], resources: ["gitrepositories", "ocirepositories", "buckets", "externalartifacts"], verbs: ["get", "list", "watch"] },
  { apiGroups: [""], resources: ["secrets", "configmaps"], verbs: ["get", "list", "watch"] },
  { apiGroups: [""], resources: ["serviceaccounts"], verbs: ["impersonate"] },
  { apiGroups: [""], resources: ["events"], verbs: ["create", "patch"] },
];

async function accountWatchSets(manager: Manager): Promise<number> {
  const metric = manager.metrics.registry.getSingleMetric(gauge);
  assert.ok(metric, `${gauge} registered`);
  return (await metric.get()).values[0]?.value ?? 0;
}

describe("kustomize: service-account watches in a lockdown", () => {
  const server = artifactServerForSuite();

  it("asks no access review on a no-op reconcile, sees a later grant, and stops an account's watches once unused", { timeout: 120_000 }, async (t) => {
    const ns = await freshNamespace("ks-lockdown-watch", t);
    const admin = new KubeClient(fromKubeconfigFile(testKubeconfigPath()), { qps: 0 });
    t.after(() => admin.close());
    const api = new ObjectApi(admin);
    await serviceAccount(api, ns, "ctrl", controllerRules);
    await serviceAccount(api, ns, "tenant", [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch", "create", "patch", "delete"] }]);
    // late may apply and watch ConfigMaps, but not get them: its health cannot be read until granted.
    await serviceAccount(api, ns, "late", [{ apiGroups: [""], resources: ["configmaps"], verbs: ["list", "watch", "create", "patch", "delete"] }]);

    let reviews = 0;
    const tm = await startTestManager(ns, ["kustomize"], {
      flags: { kustomizeBinary: kustomizeBinary(), accessReviewTtlMs: 60_000, localWatchIdleMs: 1_000 },
      manager: {
        connection: parseKubeconfig(await serviceAccountKubeconfig(api, ns, "ctrl")),
        onApiResponse: (_verb, _code, _s, req) => void (req.path === ssarPath && reviews++),
      },
    });
    try {
      await scenario(api, ns, tm.manager, () => reviews);
    } finally {
      // Here rather than in t.after: the namespace (and the controller's RBAC) goes first there.
      for (const k of (await api.list<Kustomization>(ksRef, ns)).items) await api.delete(ksRef, ns, k.metadata.name!).catch(() => undefined);
      await eventually("Kustomizations finalized", async () => (await api.list(ksRef, ns)).items.length === 0 || undefined, 20_000).catch(async () => {
        for (const k of (await api.list<Kustomization>(ksRef, ns)).items) await api.mergePatch(ksRef, ns, k.metadata.name!, { metadata: { finalizers: null } }).catch(() => undefined);
      });
      await tm.stop();
    }
  });

  async function scenario(api: ObjectApi, ns: string, manager: Manager, ssars: () => number): Promise<void> {

    const art = await server.publish({ "app/cm.yaml": configMap("app"), "late/cm.yaml": configMap("late") });
    await createGitRepository(api, ns, "repo", art);
    await api.create(ksRef, kustomization(ns, "app", { path: "./app", targetNamespace: ns, wait: true, serviceAccountName: "tenant" }));
    const ok = await waitReady(api, ns, "app", { revision: art.revision });
    assert.equal(findCondition(ok, "Healthy")?.status, "True", "health read through the tenant's own watch");
    assert.equal(await accountWatchSets(manager), 1, "the tenant's watches of its namespace");

    // A reconcile that changes nothing asks the API server no access question.
    const requestReconcile = async (name: string, token: string) => {
      await api.mergePatch(ksRef, ns, name, { metadata: { annotations: { "reconcile.fluxcd.io/requestedAt": token } } });
      return eventually(`${name} reconciled for ${token}`, async () => {
        const ks = await getKs(api, ns, name);
        return ks.status?.lastHandledReconcileAt === token ? ks : undefined;
      });
    };
    const before = ssars();
    const again = await requestReconcile("app", "again");
    assert.equal(readyOf(again)?.status, "True");
    assert.equal(ssars() - before, 0, "no SelfSubjectAccessReview on a no-op reconcile");

    // Created after the count above: its failing reconciles (retried) ask again each time, denials not being kept.
    await api.create(ksRef, kustomization(ns, "late", { path: "./late", targetNamespace: ns, wait: true, serviceAccountName: "late" }));
    const denied = await waitReady(api, ns, "late", { status: "False", reason: "HealthCheckFailed" });
    assert.match(readyOf(denied)!.message, new RegExp(`"system:serviceaccount:${ns}:late" cannot get resource "configmaps"`));
    assert.equal(await accountWatchSets(manager), 2, "one set per service account in the namespace");

    // A Role granted later: denials are not kept, so the next requested reconcile sees it.
    await api.mergePatch(rbac("roles", "Role"), ns, "late", { rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch", "create", "patch", "delete"] }] });
    await requestReconcile("late", "granted");
    const granted = await waitReady(api, ns, "late", { revision: art.revision });
    assert.equal(findCondition(granted, "Healthy")?.status, "True");

    // Once app is gone, tenant's watches stop after the idle delay; late's stay, in use.
    await api.delete(ksRef, ns, "app");
    await eventually("app finalized", async () => (await api.find(ksRef, ns, "app")) === undefined, 20_000);
    await eventually("tenant's watches stopped", async () => (await accountWatchSets(manager)) === 1, 10_000);
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(await accountWatchSets(manager), 1, "late's watches, held by a live Kustomization, outlive the idle delay");
    const still = await requestReconcile("late", "still");
    assert.equal(findCondition(still, "Healthy")?.status, "True");
  }
});
