/**
 * The install manifests (config/, built with kustomize) are accepted by a real API server: applied
 * with server-side apply in dependency order into a throwaway namespace (cluster-scoped RBAC gets a
 * suffix, the shared CRDs are only dry-run), checked, RBAC probed with SubjectAccessReviews, then
 * deleted.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { KubeObject } from "../../src/api/meta.ts";
import { sortForApply } from "../../src/runtime/apply/apply_order.ts";
import { KubeClient } from "../../src/runtime/kube/client.ts";
import { fromKubeconfigFile } from "../../src/runtime/kube/kubeconfig.ts";
import { ObjectApi } from "../../src/runtime/kube/objects.ts";
import { buildInstallConfig, clusterScopedKinds, retargetInstall } from "../support/install_config.ts";
import { testKubeconfigPath } from "../support/test_manager.ts";

const client = new KubeClient(fromKubeconfigFile(testKubeconfigPath()), { qps: 0 });
const api = new ObjectApi(client);
const clusterScoped = clusterScopedKinds;

async function can(user: string, attrs: { verb: string; group?: string; resource: string; subresource?: string; namespace?: string }): Promise<boolean> {
  const review = await client.request<{ status: { allowed: boolean } }>({
    method: "POST",
    path: "/apis/authorization.k8s.io/v1/subjectaccessreviews",
    body: {
      apiVersion: "authorization.k8s.io/v1",
      kind: "SubjectAccessReview",
      spec: { user, groups: ["system:serviceaccounts", "system:authenticated"], resourceAttributes: { group: "", ...attrs } },
    },
  });
  return review.status.allowed;
}

describe("runtime: install manifests", () => {
  const suffix = Math.random().toString(36).slice(2, 8);
  const ns = `sluice-install-${suffix}`;
  let applied: KubeObject[] = [];

  before(async () => {
    applied = sortForApply(retargetInstall(await buildInstallConfig(), ns, suffix));
  });
  after(async () => {
    for (const obj of [...applied].reverse()) {
      if (obj.kind === "CustomResourceDefinition") continue;
      if (!clusterScoped.has(obj.kind)) continue; // go with the namespace
      const ref = await api.refFor(obj);
      await api.delete(ref, obj.metadata.namespace, obj.metadata.name!).catch(() => undefined);
    }
    await client.close();
  });

  it("are accepted by the API server, in dependency order", async (t) => {
    const kinds = applied.map((o) => o.kind);
    for (const k of ["Namespace", "CustomResourceDefinition", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Service", "Deployment"]) {
      assert.ok(kinds.includes(k), `config/ has a ${k}`);
    }
    assert.equal(kinds[0], "CustomResourceDefinition");
    assert.ok(kinds.indexOf("Deployment") > kinds.lastIndexOf("ServiceAccount"));

    for (const obj of applied) {
      // The CRDs are shared by every test on this cluster: only ask whether they would be accepted.
      const dryRun = obj.kind === "CustomResourceDefinition";
      const out = await api.apply<KubeObject>(obj, { fieldManager: "sluice-install-test", force: true, dryRun });
      assert.equal(out.metadata.name, obj.metadata.name);
    }
    t.diagnostic(`${applied.length} objects applied into ${ns}`);

    for (const obj of applied.filter((o) => o.kind !== "CustomResourceDefinition")) {
      const live = await api.get<KubeObject>(await api.refFor(obj), obj.metadata.namespace, obj.metadata.name!);
      assert.ok(live.metadata.uid, `${obj.kind} ${obj.metadata.name} exists`);
    }
    const deployments = applied.filter((o) => o.kind === "Deployment").map((o) => o.metadata.name);
    assert.deepEqual(deployments.sort(), ["kustomize-controller", "source-controller"]);
  });

  it("give each controller the rights it needs and the source controller no more", async () => {
    const source = `system:serviceaccount:${ns}:source-controller`;
    const kustomize = `system:serviceaccount:${ns}:kustomize-controller`;
    const src = "source.toolkit.fluxcd.io";
    assert.ok(await can(source, { verb: "watch", group: src, resource: "gitrepositories" }));
    assert.ok(await can(source, { verb: "patch", group: src, resource: "gitrepositories", subresource: "status" }));
    assert.ok(await can(source, { verb: "update", group: src, resource: "ocirepositories", subresource: "finalizers" }));
    assert.ok(await can(source, { verb: "list", resource: "secrets", namespace: "default" }));
    assert.ok(await can(source, { verb: "create", resource: "events", namespace: "default" }));
    assert.ok(await can(source, { verb: "update", group: "coordination.k8s.io", resource: "leases", namespace: ns }));
    assert.equal(await can(source, { verb: "update", group: "coordination.k8s.io", resource: "leases", namespace: "default" }), false);
    assert.equal(await can(source, { verb: "create", group: "apps", resource: "deployments", namespace: "default" }), false);
    assert.equal(await can(source, { verb: "delete", resource: "secrets", namespace: "default" }), false);
    assert.equal(await can(source, { verb: "impersonate", resource: "serviceaccounts", namespace: "default" }), false);
    assert.equal(await can(source, { verb: "patch", group: "kustomize.toolkit.fluxcd.io", resource: "kustomizations", subresource: "status" }), false);

    assert.ok(await can(kustomize, { verb: "patch", group: "kustomize.toolkit.fluxcd.io", resource: "kustomizations", subresource: "status" }));
    assert.ok(await can(kustomize, { verb: "watch", group: src, resource: "ocirepositories" }));
    assert.ok(await can(kustomize, { verb: "impersonate", resource: "serviceaccounts", namespace: "team-a" }));
  });
});
