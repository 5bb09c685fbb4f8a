/**
 * spec.ignore (drift-ignore rules) end to end on the real control plane: replicas scaled by hand
 * (a server-side apply by another manager, then a merge patch) survive forced reconciles while a
 * drifted image is put back; a change to an ignored field alone costs no request; a rule for
 * another kind protects nothing; dropping the rules puts replicas back; a malformed rule stalls
 * the Kustomization with a message naming it, and nothing is applied.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Kustomization } from "../../src/api/kustomize/kustomization.ts";
import { annotations, type KubeObject } from "../../src/api/meta.ts";
import { AccessReviews } from "../../src/kustomize/access_reviews.ts";
import { LocalWatches } from "../../src/kustomize/local_watches.ts";
import { KubeClient } from "../../src/runtime/kube/client.ts";
import { fromKubeconfigFile } from "../../src/runtime/kube/kubeconfig.ts";
import { ObjectApi } from "../../src/runtime/kube/objects.ts";
import type { ResourceRef } from "../../src/runtime/kube/resource_ref.ts";
import { findCondition } from "../../src/runtime/status/conditions.ts";
import { freshNamespace } from "../support/cluster.ts";
import { startTestManager, testKubeconfigPath } from "../support/test_manager.ts";
import {
  artifactServerForSuite, configMap, core, createGitRepository, deployment, deploymentRef, eventually, ksRef, kustomization, kustomizeBinary, readyOf, waitReady,
} from "./kustomize_support.ts";

interface Deployment extends KubeObject {
  spec: { replicas: number; template: { spec: { containers: Array<{ name: string; image: string }> } } };
}

describe("kustomize: spec.ignore", () => {
  const server = artifactServerForSuite();

  it("keeps ignored fields set by others, puts drifted ones back, and refuses malformed rules", async (t) => {
    const ns = await freshNamespace("ks-ignore", t);
    const requests: string[] = [];
    const tm = await startTestManager(ns, ["kustomize"], {
      flags: { kustomizeBinary: kustomizeBinary() },
      manager: { onApiResponse: (verb, _code, _s, req) => requests.push(`${verb} ${req.path}`) },
    });
    // The test's own requests go through a client of its own, so that `requests` holds the controller's alone.
    const client = new KubeClient(fromKubeconfigFile(testKubeconfigPath()), { qps: 0 });
    const api = new ObjectApi(client);
    t.after(async () => {
      for (const k of (await api.list<Kustomization>(ksRef, ns)).items) await api.delete(ksRef, ns, k.metadata.name!).catch(() => undefined);
      await eventually("Kustomizations finalized", async () => (await api.list(ksRef, ns)).items.length === 0 || undefined, 20_000).catch(() => undefined);
      await tm.stop();
      client.close();
    });

    const rev = await server.publish({
      "web/deploy.yaml": deployment("web", 1),
      "web/config.yaml": configMap("settings", { a: "1" }),
      "api/deploy.yaml": deployment("api", 1),
    });
    await createGitRepository(api, ns, "repo", rev);
    const replicasRule = (kind: string) => [{ paths: ["/spec/replicas"], target: { kind } }];
    const dataRule = { paths: ["/data/a"], target: { kind: "ConfigMap", name: "settings" } };
    await api.create(ksRef, kustomization(ns, "web", { path: "./web", targetNamespace: ns, ignore: [...replicasRule("Deploy.*"), dataRule] }));
    await api.create(ksRef, kustomization(ns, "api", { path: "./api", targetNamespace: ns, ignore: replicasRule("StatefulSet") }));
    await waitReady(api, ns, "web", { revision: rev.revision });
    await waitReady(api, ns, "api", { revision: rev.revision });

    const cmRef = core("configmaps", "ConfigMap");
    // The controller reads live state from its watch cache: a change made here is waited for there
    // before a reconcile is asked for, or the reconcile could still see the state before it.
    const owned = new LocalWatches(tm.manager.cache, tm.manager.client, { namespaceLabel: "kustomize.toolkit.fluxcd.io/namespace", reviews: new AccessReviews() }).use("test", undefined).owned;
    const seen = async (ref: ResourceRef, name: string, changed: Promise<KubeObject>) => {
      const rv = (await changed).metadata.resourceVersion;
      // resourceVersions are etcd revisions here (other writers, e.g. the Deployment controller, may go on).
      const at = async () => BigInt((await owned.get(ref, ns, ns, name))?.metadata.resourceVersion ?? "0");
      await eventually(`${name} at ${rv} in the controller's cache`, async () => (await at()) >= BigInt(rv!) || undefined);
    };
    const get = (name: string) => api.get<Deployment>(deploymentRef, ns, name);
    const image = (d: Deployment) => d.spec.template.spec.containers[0].image;
    const ownsReplicas = (d: Deployment, manager: string) =>
      (d.metadata.managedFields as Array<{ manager: string; operation: string; fieldsV1?: { "f:spec"?: Record<string, unknown> } }>)
        .some((f) => f.manager === manager && f.operation === "Apply" && f.fieldsV1?.["f:spec"]?.["f:replicas"] !== undefined);
    /** Another field manager scales with a server-side apply of replicas alone, as an autoscaler would. */
    const scaleByApply = (name: string, replicas: number) =>
      seen(deploymentRef, name, api.apply({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace: ns }, spec: { replicas } } as KubeObject, { fieldManager: "hpa", force: true }));
    const driftImage = (name: string, extra: Record<string, unknown> = {}) =>
      seen(deploymentRef, name, api.mergePatch(deploymentRef, ns, name, { spec: { ...extra, template: { spec: { containers: [{ name: "app", image: "nginx:1.28" }] } } } }));
    const reconcile = async (name: string, token: string) => {
      requests.length = 0;
      await api.mergePatch(ksRef, ns, name, { metadata: { annotations: { [annotations.requestedAt]: token } } });
      await eventually(`reconcile ${token}`, async () => (await api.get<Kustomization>(ksRef, ns, name)).status?.lastHandledReconcileAt === token || undefined);
      assert.equal(readyOf(await api.get<Kustomization>(ksRef, ns, name))?.status, "True");
      return requests.filter((r) => !r.startsWith("GET") && !r.startsWith("WATCH") && (r.includes(`/deployments/${name}`) || r.includes("/configmaps/")));
    };

    // Scaled by another applier, an ignored ConfigMap key edited: a change to ignored fields alone is
    // no drift, and costs no request.
    await scaleByApply("web", 2);
    await seen(cmRef, "settings", api.mergePatch(cmRef, ns, "settings", { data: { a: "by hand" } }));
    assert.deepEqual(await reconcile("web", "scaled"), []);
    assert.equal((await get("web")).spec.replicas, 2);
    assert.equal((await api.get<{ data: Record<string, string> }>(cmRef, ns, "settings")).data.a, "by hand");

    // The image drifts too: it is put back, replicas are left out of our apply (the other applier owns them).
    await driftImage("web");
    assert.ok((await reconcile("web", "image")).length > 0, "the Deployment is applied again");
    let web = await get("web");
    assert.equal(image(web), "nginx:1.27");
    assert.equal(web.spec.replicas, 2);
    assert.equal(ownsReplicas(web, "kustomize-controller"), false, "stripped: we gave up replicas");
    assert.equal(ownsReplicas(web, "hpa"), true);

    // Scaled with a plain merge patch (an update, no applier owns replicas then), image drifted again:
    // the cluster's replicas are adopted into our apply.
    await driftImage("web", { replicas: 3 });
    await reconcile("web", "patched");
    web = await get("web");
    assert.equal(image(web), "nginx:1.27");
    assert.equal(web.spec.replicas, 3);
    assert.equal(ownsReplicas(web, "kustomize-controller"), true, "adopted: we applied the cluster's value");

    // A rule for another kind protects nothing: the Deployment's replicas go back to the manifest's.
    await scaleByApply("api", 4);
    assert.ok((await reconcile("api", "other-kind")).length > 0);
    assert.equal((await get("api")).spec.replicas, 1);

    // Without the rules (a spec change) the memo of unchanged objects does not hide the old drift
    // (the ConfigMap has not changed since it was last found unchanged).
    await api.mergePatch(ksRef, ns, "web", { spec: { ignore: null } });
    await eventually("web's replicas back to the manifest's", async () => (await get("web")).spec.replicas === 1 || undefined);
    await waitReady(api, ns, "web", { revision: rev.revision });
    assert.equal((await api.get<{ data: Record<string, string> }>(cmRef, ns, "settings")).data.a, "1");

    // Malformed rules: the Kustomization stalls, naming the rule; nothing is applied.
    const bad = await server.publish({ "bad/deploy.yaml": deployment("bad", 1) });
    await createGitRepository(api, ns, "bad-repo", bad);
    const badSpec = (ignore: Kustomization["spec"]["ignore"]) => ({ path: "./bad", targetNamespace: ns, sourceRef: { kind: "GitRepository" as const, name: "bad-repo" }, ignore });
    await api.create(ksRef, kustomization(ns, "bad-pointer", badSpec([{ paths: ["/spec/replicas"] }, { paths: ["spec/replicas"], target: { kind: "Deployment" } }])));
    await api.create(ksRef, kustomization(ns, "bad-regex", badSpec([{ paths: ["/spec/replicas"], target: { kind: "Deployment(" } }])));
    await api.create(ksRef, kustomization(ns, "bad-selector", badSpec([{ paths: ["/spec/replicas"], target: { labelSelector: "app in web" } }])));
    const expectStalled = async (name: string, message: string) => {
      const ks = await waitReady(api, ns, name, { status: "False", reason: "ReconciliationFailed" });
      assert.equal(readyOf(ks)?.message, `Reconciliation failed terminally due to configuration error: ${message}`);
      assert.equal(findCondition(ks, "Stalled")?.status, "True");
    };
    await expectStalled("bad-pointer", `spec.ignore[1].paths[0]: "spec/replicas" is not a JSON pointer: it must be empty or start with "/"`);
    await expectStalled("bad-regex", `spec.ignore[0].target.kind: "Deployment(": invalid regular expression: Unterminated group`);
    await expectStalled("bad-selector", `spec.ignore[0].target.labelSelector: "app in web": unable to parse requirement: found 'web', expected: '('`);
    assert.equal(await api.find(deploymentRef, ns, "bad"), undefined);

    // Fixing the rule (a new generation) lifts the stall.
    await api.mergePatch(ksRef, ns, "bad-pointer", { spec: { ignore: [{ paths: ["/spec/replicas"], target: { kind: "Deployment" } }] } });
    await waitReady(api, ns, "bad-pointer", { revision: bad.revision });
    assert.equal((await api.get<Deployment>(deploymentRef, ns, "bad")).spec.replicas, 1);
  });
});
