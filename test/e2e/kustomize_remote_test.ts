/**
 * spec.kubeConfig on the real control plane. The "remote cluster" is the same API server reached
 * through a kubeconfig in a Secret whose user is a ServiceAccount token with RBAC limited to the
 * test namespace, so every request made through it shows that identity: applies, watches, health,
 * prune, deletion (waiting for a finalizer), and service-account impersonation done on the remote
 * side — with health reads checked against the impersonated account, locally too. Bad kubeconfigs
 * (missing Secret or key, malformed, an exec plugin, a server with nothing listening, configMapRef)
 * each give their condition, and nothing is pruned while the server cannot be reached.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Kustomization } from "../../src/api/kustomize/kustomization.ts";
import { freePort } from "../../src/dev/free_ports.ts";
import { fromKubeconfigFile } from "../../src/runtime/kube/kubeconfig.ts";
import type { ObjectApi } from "../../src/runtime/kube/objects.ts";
import { findCondition } from "../../src/runtime/status/conditions.ts";
import { freshNamespace } from "../support/cluster.ts";
import { testKubeconfigPath } from "../support/test_manager.ts";
import {
  artifactServerForSuite, configMap, core, createGitRepository, eventually, getKs, ksRef, kustomization, readyOf, setArtifact, startKustomize,
  waitReady,
} from "./kustomize_support.ts";
import { kubeconfigFor, serviceAccount, serviceAccountKubeconfig } from "../support/service_accounts.ts";

const rbac = (resource: string, kind: string) => ({ group: "rbac.authorization.k8s.io", version: "v1", resource, kind, namespaced: true });
const configMaps = core("configmaps", "ConfigMap");

/** A kubeconfig for the test cluster's server and CA, with the given user entry. */
/**
 * The "remote" identity: ServiceAccount `remote` with a token, allowed everything on ConfigMaps, to
 * read (not write) Services, nothing on Secrets, and to impersonate the ServiceAccount `deployer`.
 */
async function remoteIdentity(api: ObjectApi, ns: string): Promise<string> {
  await serviceAccount(api, ns, "remote", [
    { apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] },
    { apiGroups: [""], resources: ["services"], verbs: ["get", "list", "watch"] },
    { apiGroups: [""], resources: ["serviceaccounts"], verbs: ["impersonate"], resourceNames: ["deployer"] },
  ]);
  return serviceAccountKubeconfig(api, ns, "remote");
}

async function putSecret(api: ObjectApi, ns: string, name: string, data: Record<string, string>): Promise<void> {
  await api.apply({ apiVersion: "v1", kind: "Secret", metadata: { name, namespace: ns }, stringData: data } as never, { fieldManager: "e2e", force: true });
}

async function expectFailure(api: ObjectApi, ns: string, name: string, reason: string, message: RegExp): Promise<Kustomization> {
  const ks = await waitReady(api, ns, name, { status: "False", reason });
  assert.match(readyOf(ks)!.message, message);
  return ks;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

describe("kustomize: remote clusters (spec.kubeConfig)", { concurrency: true }, () => {
  const server = artifactServerForSuite();

  it("applies, reads health, prunes and deletes through the kubeconfig's user", async (t) => {
    const ns = await freshNamespace("ks-remote", t);
    const { manager } = await startKustomize(ns, t);
    const api = manager.api;
    // The default key's fallback: value.yaml.
    await putSecret(api, ns, "remote-kubeconfig", { "value.yaml": await remoteIdentity(api, ns) });
    const held = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  finalizers: [e2e.sluice.dev/hold]\ndata:\n  k: "1"\n`;
    const art = await server.publish({
      "app/a.yaml": held,
      "app/b.yaml": configMap("b"),
      "svc/svc.yaml": `apiVersion: v1\nkind: Service\nmetadata:\n  name: denied\nspec:\n  ports:\n  - port: 80\n`,
      "secret/s.yaml": `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  k: v\n`,
    });
    await createGitRepository(api, ns, "repo", art);
    const kubeConfig = { secretRef: { name: "remote-kubeconfig" } };
    await api.create(ksRef, kustomization(ns, "remote", { path: "./app", targetNamespace: ns, wait: true, kubeConfig, deletionPolicy: "WaitForTermination" }));
    await api.create(ksRef, kustomization(ns, "svc", { path: "./svc", targetNamespace: ns, kubeConfig }));
    await api.create(ksRef, kustomization(ns, "secret", { path: "./secret", targetNamespace: ns, kubeConfig }));

    const ok = await waitReady(api, ns, "remote", { revision: art.revision });
    assert.equal(findCondition(ok, "Healthy")?.status, "True", "health read through the remote watches");
    assert.deepEqual(ok.status!.inventory!.entries.map((e) => e.id).sort(), [`${ns}_a__ConfigMap`, `${ns}_b__ConfigMap`]);
    const b = await api.get(configMaps, ns, "b");
    assert.equal(b.metadata.labels?.["kustomize.toolkit.fluxcd.io/name"], "remote");

    // Requests made through the kubeconfig are the remote user's: its RBAC decides, and says so.
    const user = `system:serviceaccount:${ns}:remote`;
    await expectFailure(api, ns, "svc", "ReconciliationFailed", new RegExp(`^Service/${ns}/denied dry-run failed \\(Forbidden\\): .*"${user}" cannot patch resource "services"`));
    await expectFailure(api, ns, "secret", "ReconciliationFailed", new RegExp(`cannot watch secrets in namespace ${ns} on https://.*\\(Forbidden\\): .*"${user}" cannot list resource "secrets"`));

    // Prune on the remote cluster.
    const art2 = await server.publish({ "app/a.yaml": held });
    await setArtifact(api, ns, "repo", art2);
    await waitReady(api, ns, "remote", { revision: art2.revision });
    assert.equal(await api.find(configMaps, ns, "b"), undefined, "b pruned");

    // Deletion waits for the held object on the remote cluster, woken by its watch.
    await api.delete(ksRef, ns, "remote");
    await eventually("a being deleted", async () => (await api.get(configMaps, ns, "a")).metadata.deletionTimestamp !== undefined);
    await new Promise((r) => setTimeout(r, 1_000));
    assert.ok(await api.find(ksRef, ns, "remote"), "the Kustomization waits for a");
    await api.mergePatch(configMaps, ns, "a", { metadata: { finalizers: null } });
    await eventually("the Kustomization gone", async () => (await api.find(ksRef, ns, "remote")) === undefined, 10_000);
    assert.equal(await api.find(configMaps, ns, "a"), undefined);
  });

  it("impersonates the service account on the remote cluster; health is read only if that account may get the objects", async (t) => {
    const ns = await freshNamespace("ks-remote-sa", t);
    const { manager } = await startKustomize(ns, t);
    const api = manager.api;
    await putSecret(api, ns, "remote-kubeconfig", { value: await remoteIdentity(api, ns) });
    // deployer may write ConfigMaps but not read them.
    await serviceAccount(api, ns, "deployer", [{ apiGroups: [""], resources: ["configmaps"], verbs: ["create", "patch", "delete"] }]);
    await serviceAccount(api, ns, "other", [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch", "create", "patch"] }]);
    const art = await server.publish({
      "remote/cm.yaml": configMap("imp-remote"),
      "local/cm.yaml": configMap("imp-local"),
      "other/cm.yaml": configMap("imp-other"),
      "svc/svc.yaml": `apiVersion: v1\nkind: Service\nmetadata:\n  name: denied\nspec:\n  ports:\n  - port: 80\n`,
    });
    await createGitRepository(api, ns, "repo", art);
    const kubeConfig = { secretRef: { name: "remote-kubeconfig" } };
    await api.create(ksRef, kustomization(ns, "remote", { path: "./remote", targetNamespace: ns, wait: true, kubeConfig, serviceAccountName: "deployer" }));
    await api.create(ksRef, kustomization(ns, "local", { path: "./local", targetNamespace: ns, wait: true, serviceAccountName: "deployer" }));
    await api.create(ksRef, kustomization(ns, "svc", { path: "./svc", targetNamespace: ns, kubeConfig, serviceAccountName: "deployer" }));
    await api.create(ksRef, kustomization(ns, "other", { path: "./other", targetNamespace: ns, kubeConfig, serviceAccountName: "other" }));

    const deployer = `system:serviceaccount:${ns}:deployer`;
    const conn = fromKubeconfigFile(testKubeconfigPath());
    const remote = await expectFailure(api, ns, "remote", "HealthCheckFailed",
      new RegExp(`ConfigMap/${ns}/imp-remote: "${deployer}" cannot get resource "configmaps" in the namespace "${ns}" on ${escape(conn.server)}, so its health cannot be read as that service account`));
    assert.equal(findCondition(remote, "Healthy")?.status, "False");
    assert.ok(await api.find(configMaps, ns, "imp-remote"), "applied as deployer");
    await expectFailure(api, ns, "local", "HealthCheckFailed",
      new RegExp(`ConfigMap/${ns}/imp-local: "${deployer}" cannot get resource "configmaps" in the namespace "${ns}", so its health`));
    // The impersonation happens on the remote side: the kubeconfig's user impersonates deployer (and only deployer).
    await expectFailure(api, ns, "svc", "ReconciliationFailed", new RegExp(`Service/${ns}/denied dry-run failed \\(Forbidden\\): .*"${deployer}" cannot patch resource "services"`));
    // Kubernetes 1.37 reports the denial in the words of the impersonation mode it tried first, which is
    // the mode that last worked for this user: legacy if "remote" has already impersonated deployer,
    // constrained (impersonate-on:…) if the "other" Kustomization got there first.
    await expectFailure(api, ns, "other", "ReconciliationFailed",
      new RegExp(`"system:serviceaccount:${ns}:remote" cannot (impersonate resource "serviceaccounts"|impersonate-on:serviceaccount:patch resource "configmaps")`));

    // Once deployer may read them, health is read from the watches as before.
    await api.mergePatch(rbac("roles", "Role"), ns, "deployer", { rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "create", "patch", "delete"] }] });
    for (const name of ["remote", "local"]) await api.mergePatch(ksRef, ns, name, { metadata: { annotations: { "reconcile.fluxcd.io/requestedAt": "granted" } } });
    for (const name of ["remote", "local"]) {
      const ks = await waitReady(api, ns, name, { revision: art.revision });
      assert.equal(findCondition(ks, "Healthy")?.status, "True");
    }
  });

  it("bad kubeconfigs: a condition naming the Secret or the server; nothing pruned while the server is out of reach", async (t) => {
    const ns = await freshNamespace("ks-remote-bad", t);
    const { manager } = await startKustomize(ns, t);
    const api = manager.api;
    const good = await remoteIdentity(api, ns);
    const port = await freePort();
    const unreachable = kubeconfigFor({ token: "x" }, `https://127.0.0.1:${port}`);
    await putSecret(api, ns, "no-key", { other: good });
    await putSecret(api, ns, "malformed", { value: "this: [is not" });
    await putSecret(api, ns, "exec", { value: kubeconfigFor({ exec: { apiVersion: "client.authentication.k8s.io/v1", command: "/bin/sh", args: ["-c", "touch /tmp/pwned"] } }) });
    await putSecret(api, ns, "unreachable", { value: unreachable });
    await putSecret(api, ns, "switch", { value: good });
    const art = await server.publish({ "app/cm.yaml": configMap("x"), "keep/cm.yaml": configMap("keep") });
    await createGitRepository(api, ns, "repo", art);
    const spec = (secretRef: { name: string; key?: string }, path = "./app") => ({ path, targetNamespace: ns, kubeConfig: { secretRef } });
    await api.create(ksRef, kustomization(ns, "missing", spec({ name: "nope" })));
    await api.create(ksRef, kustomization(ns, "bad-key", spec({ name: "no-key", key: "kubeconfig" })));
    await api.create(ksRef, kustomization(ns, "no-default", spec({ name: "no-key" })));
    await api.create(ksRef, kustomization(ns, "malformed", spec({ name: "malformed" })));
    await api.create(ksRef, kustomization(ns, "exec", spec({ name: "exec" })));
    await api.create(ksRef, kustomization(ns, "unreachable", spec({ name: "unreachable" })));
    await api.create(ksRef, kustomization(ns, "cm-ref", { path: "./app", targetNamespace: ns, kubeConfig: { configMapRef: { name: "aws" } } }));
    await api.create(ksRef, kustomization(ns, "switch", spec({ name: "switch" }, "./keep")));

    await expectFailure(api, ns, "missing", "ReconciliationFailed", new RegExp(`^unable to read KubeConfig secret '${ns}/nope': not found$`));
    await expectFailure(api, ns, "bad-key", "ReconciliationFailed", new RegExp(`^KubeConfig secret '${ns}/no-key' does not contain a 'kubeconfig' key with a kubeconfig$`));
    await expectFailure(api, ns, "no-default", "ReconciliationFailed", new RegExp(`^KubeConfig secret '${ns}/no-key' does not contain a 'value' or 'value.yaml' key`));
    await expectFailure(api, ns, "malformed", "ReconciliationFailed", new RegExp(`^KubeConfig secret '${ns}/malformed' key 'value': invalid kubeconfig: not valid YAML`));
    await expectFailure(api, ns, "exec", "ReconciliationFailed",
      new RegExp(`^KubeConfig secret '${ns}/exec' key 'value': invalid kubeconfig: user "test" runs an exec credential plugin \\(/bin/sh\\), which is refused without --insecure-kubeconfig-exec: supported credentials are inline`));
    await expectFailure(api, ns, "unreachable", "ReconciliationFailed",
      new RegExp(`^cannot reach the cluster at https://127\\.0\\.0\\.1:${port} \\(KubeConfig secret '${ns}/unreachable' key 'value'\\): .*ECONNREFUSED`));
    const cmRef = await expectFailure(api, ns, "cm-ref", "ReconciliationFailed", /configMapRef '.*\/aws': cloud provider workload identity is not supported by Sluice; use spec.kubeConfig.secretRef/);
    assert.equal(findCondition(cmRef, "Stalled")?.status, "True");
    assert.equal(await api.find(configMaps, ns, "x"), undefined, "nothing applied anywhere");

    // Applied through a good kubeconfig; then the Secret points at a dead server and the source drops the object.
    await waitReady(api, ns, "switch", { revision: art.revision });
    const inventory = (await getKs(api, ns, "switch")).status!.inventory;
    await putSecret(api, ns, "switch", { value: unreachable });
    const art2 = await server.publish({ "keep/cm.yaml": configMap("other") });
    await setArtifact(api, ns, "repo", art2);
    await expectFailure(api, ns, "switch", "ReconciliationFailed", new RegExp(`^cannot reach the cluster at https://127\\.0\\.0\\.1:${port} \\(KubeConfig secret '${ns}/switch'`));
    assert.ok(await api.find(configMaps, ns, "keep"), "nothing pruned");
    assert.deepEqual((await getKs(api, ns, "switch")).status!.inventory, inventory, "the inventory is kept");

    // The Secret restored: a new client for its content, the prune goes through.
    await putSecret(api, ns, "switch", { value: good });
    await api.mergePatch(ksRef, ns, "switch", { metadata: { annotations: { "reconcile.fluxcd.io/requestedAt": "restored" } } });
    await waitReady(api, ns, "switch", { revision: art2.revision });
    assert.equal(await api.find(configMaps, ns, "keep"), undefined);
    assert.ok(await api.find(configMaps, ns, "other"));
  });
});
