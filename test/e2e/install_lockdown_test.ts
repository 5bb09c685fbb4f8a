/**
 * The controllers with nothing but the rights config/ gives them, in the multi-tenant lockdown that
 * config/rbac/kustomize_controller.yaml describes: no cluster-admin binding, every apply made as a
 * tenant's service account (--default-service-account). `sluice controllers` runs as two processes,
 * each with a token of its own ServiceAccount, and reconciles a GitRepository and a Kustomization
 * of a tenant namespace to Ready, health checks included. Sharded by a label (--watch-label-selector)
 * so that the controllers see this test's objects and nobody else's.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import type { KubeObject } from "../../src/api/meta.ts";
import { freePort } from "../../src/dev/free_ports.ts";
import { startGitHttpServer, type GitHttpServer } from "../../src/dev/git_http_server.ts";
import { sortForApply } from "../../src/runtime/apply/apply_order.ts";
import { KubeClient } from "../../src/runtime/kube/client.ts";
import { fromKubeconfigFile } from "../../src/runtime/kube/kubeconfig.ts";
import { ObjectApi } from "../../src/runtime/kube/objects.ts";
import { freshNamespace } from "../support/cluster.ts";
import { GitFixtures } from "../support/git_server.ts";
import { buildInstallConfig, clusterScopedKinds, retargetInstall } from "../support/install_config.ts";
import { testKubeconfigPath } from "../support/test_manager.ts";
import { serviceAccountKubeconfig } from "../support/service_accounts.ts";
import { configMap, core, deployment, eventually, gitRef, kustomization, kustomizeBinary, ksRef, waitReady, yamlDocs } from "./kustomize_support.ts";

const bin = fileURLToPath(new URL("../../bin/sluice", import.meta.url));
const client = new KubeClient(fromKubeconfigFile(testKubeconfigPath()), { qps: 0 });
const api = new ObjectApi(client);
const suffix = Math.random().toString(36).slice(2, 8);
const system = `sluice-lockdown-${suffix}`;
const shard = { "e2e.sluice.dev/shard": suffix };
// At top level: freshNamespace registers its cleanup with after().
const tenant = await freshNamespace("tenant");

describe("install: the controllers' own RBAC, locked down", () => {
  let work: string;
  let fixtures: GitFixtures;
  let git: GitHttpServer;
  let rbac: KubeObject[] = [];
  const children: ChildProcess[] = [];

  before(async () => {
    work = await mkdtemp(join(tmpdir(), "sluice-lockdown-"));
    fixtures = await GitFixtures.create();
    git = await startGitHttpServer(fixtures.root);
    // Namespace, ServiceAccounts and RBAC of config/, without the cluster-admin binding.
    rbac = sortForApply(retargetInstall(await buildInstallConfig(), system, suffix)).filter(
      (o) => ["Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"].includes(o.kind) && !o.metadata.name!.startsWith("sluice-kustomize-controller-apply"),
    );
    for (const obj of rbac) await api.apply(obj, { fieldManager: "e2e", force: true });
    // The tenant's account may do anything in its namespace, nothing elsewhere.
    await api.create(core("serviceaccounts", "ServiceAccount"), { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "tenant", namespace: tenant } });
    await api.create(
      { group: "rbac.authorization.k8s.io", version: "v1", resource: "rolebindings", kind: "RoleBinding", namespaced: true },
      {
        apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name: "tenant-admin", namespace: tenant },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "admin" },
        subjects: [{ kind: "ServiceAccount", name: "tenant", namespace: tenant }],
      } as KubeObject,
    );
  });

  after(async () => {
    for (const ref of [ksRef, gitRef]) {
      for (const o of (await api.list(ref, tenant)).items) await api.delete(ref, tenant, o.metadata.name!).catch(() => undefined);
      await eventually(`${ref.kind}s finalized`, async () => (await api.list(ref, tenant)).items.length === 0 || undefined, 30_000).catch(() => undefined);
    }
    for (const c of children) c.kill("SIGTERM");
    await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once("exit", r)) : undefined)));
    for (const obj of [...rbac].reverse().filter((o) => clusterScopedKinds.has(o.kind))) {
      await api.delete(await api.refFor(obj), undefined, obj.metadata.name!).catch(() => undefined);
    }
    await git?.stop();
    await fixtures?.cleanup();
    if (process.env.SLUICE_TEST_KEEP_STATE !== "1") await rm(work, { recursive: true, force: true });
    await client.close();
  });

  /** `sluice controllers` as ServiceAccount `account` of the install's namespace. */
  async function startControllers(account: string, flags: string[]): Promise<void> {
    const kubeconfig = join(work, `${account}.kubeconfig`);
    await writeFile(kubeconfig, await serviceAccountKubeconfig(api, system, account), { mode: 0o600 });
    const log = createWriteStream(join(work, `${account}.log`));
    const child = spawn(bin, [
      "controllers", `--kubeconfig=${kubeconfig}`, `--namespace=${system}`, "--watch-all-namespaces",
      `--watch-label-selector=e2e.sluice.dev/shard=${suffix}`, "--enable-leader-election", "--metrics-addr=0", "--health-addr=0", ...flags,
    ], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, RUNTIME_NAMESPACE: system } });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    children.push(child);
  }

  it("reconciles a tenant's GitRepository and Kustomization to Ready, acting as the tenant", { timeout: 120_000 }, async (t) => {
    t.diagnostic(`controller logs in ${work}`);
    const port = await freePort();
    await startControllers("source-controller", ["--controllers=source", `--storage-path=${join(work, "storage")}`, `--storage-addr=127.0.0.1:${port}`]);
    await startControllers("kustomize-controller", ["--controllers=kustomize", `--kustomize-binary=${kustomizeBinary()}`, "--default-service-account=tenant"]);

    const repo = await fixtures.repo(`lockdown-${suffix}`);
    await repo.commit({ "app/all.yaml": yamlDocs(configMap("settings"), deployment("web")) }, "app");
    await api.create(gitRef, {
      apiVersion: "source.toolkit.fluxcd.io/v1", kind: "GitRepository", metadata: { name: "app", namespace: tenant, labels: shard },
      spec: { url: git.url(`lockdown-${suffix}`), interval: "1h", ref: { branch: "main" } },
    } as KubeObject);
    await api.create(ksRef, kustomization(tenant, "app", { path: "./app", wait: true, targetNamespace: tenant, sourceRef: { kind: "GitRepository", name: "app" } }, { labels: shard }));

    const ks = await waitReady(api, tenant, "app", {}, 60_000).catch(async (err) => {
      const now = await api.get<KubeObject & { status?: unknown }>(ksRef, tenant, "app");
      const src = await api.get<KubeObject & { status?: unknown }>(gitRef, tenant, "app");
      throw new Error(`${(err as Error).message}\nKustomization status: ${JSON.stringify(now.status)}\nGitRepository status: ${JSON.stringify(src.status)}`);
    });
    assert.equal(ks.status?.inventory?.entries.length, 2);
    const cm = await api.get<KubeObject>(core("configmaps", "ConfigMap"), tenant, "settings");
    const managers = (cm.metadata as { managedFields?: Array<{ manager: string }> }).managedFields?.map((m) => m.manager);
    assert.ok(managers?.includes("kustomize-controller"), `applied with the controller's field manager: ${managers}`);

    // Acting as the tenant: its account may not write outside its namespace, and the condition says who was refused.
    await api.create(ksRef, kustomization(tenant, "escape", { path: "./app", targetNamespace: "default", sourceRef: { kind: "GitRepository", name: "app" } }, { labels: shard }));
    const refused = await waitReady(api, tenant, "escape", { status: "False" }, 30_000);
    const ready = refused.status?.conditions?.find((c) => c.type === "Ready");
    assert.match(ready!.message, new RegExp(`system:serviceaccount:${tenant}:tenant`), ready!.message);
  });
});
