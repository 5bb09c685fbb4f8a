/**
 * The client on a real API server: server-side apply with a field manager, impersonation of a
 * service account per request (with that account's RBAC), discovery of a kind by apiVersion, and
 * one request counter shared by every identity.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { KubeObject } from "../../src/api/meta.ts";
import { ApiError, isForbidden } from "../../src/runtime/kube/api_error.ts";
import { KubeClient } from "../../src/runtime/kube/client.ts";
import { fromKubeconfigFile } from "../../src/runtime/kube/kubeconfig.ts";
import { ObjectApi } from "../../src/runtime/kube/objects.ts";
import { createTestNamespace, deleteTestNamespace, eventually } from "../support/test_crd.ts";
import { testKubeconfigPath } from "../support/test_manager.ts";

const client = new KubeClient(fromKubeconfigFile(testKubeconfigPath()), { qps: 0 });
const api = new ObjectApi(client);

describe("runtime: the Kubernetes client", () => {
  after(() => client.close());

  it("applies server-side with a field manager and acts as a service account with its rights only", async (t) => {
    const ns = await createTestNamespace(api, "rt-client");
    t.after(() => deleteTestNamespace(api, ns));

    const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings", namespace: ns }, data: { a: "1" } };
    const applied = await api.apply<KubeObject & { data: Record<string, string> }>(cm, { fieldManager: "sluice-a" });
    assert.deepEqual(applied.data, { a: "1" });
    const managers = (applied.metadata.managedFields as Array<{ manager: string; operation: string }>).map((m) => `${m.manager}/${m.operation}`);
    assert.deepEqual(managers, ["sluice-a/Apply"]);

    // Another manager changing the same field conflicts unless it forces.
    await assert.rejects(api.apply({ ...cm, data: { a: "2" } }, { fieldManager: "sluice-b" }), (err: unknown) => err instanceof ApiError && err.code === 409);
    const forced = await api.apply<KubeObject & { data: Record<string, string> }>({ ...cm, data: { a: "2" } }, { fieldManager: "sluice-b", force: true });
    assert.equal(forced.data.a, "2");

    await api.apply({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "tenant", namespace: ns } }, { fieldManager: "sluice-test" });
    const before = client.requestCount;
    const tenant = api.as(client.impersonating({ user: `system:serviceaccount:${ns}:tenant` }));
    const ref = await tenant.refFor(cm);
    await assert.rejects(tenant.get(ref, ns, "settings"), (err: unknown) => {
      assert.ok(isForbidden(err));
      assert.match((err as Error).message, new RegExp(`system:serviceaccount:${ns}:tenant`));
      return true;
    });

    await api.apply(
      { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name: "read-cm", namespace: ns }, rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get"] }] },
      { fieldManager: "sluice-test" },
    );
    await api.apply(
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "RoleBinding",
        metadata: { name: "tenant-read-cm", namespace: ns },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "read-cm" },
        subjects: [{ kind: "ServiceAccount", name: "tenant", namespace: ns }],
      },
      { fieldManager: "sluice-test" },
    );
    const read = await eventually("the tenant to read the ConfigMap", () => tenant.get<{ data: Record<string, string> }>(ref, ns, "settings"));
    assert.equal(read.data.a, "2");
    await assert.rejects(tenant.delete(ref, ns, "settings"), (err: unknown) => isForbidden(err), "get only: no delete");
    assert.ok(client.requestCount - before >= 5, "the impersonating view shares the request counter");
  });
});
