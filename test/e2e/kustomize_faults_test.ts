/**
 * Faults the kustomize controller must live through without losing anything: the manager killed
 * (SIGKILL) in the middle of applying 200 objects, kube-apiserver restarted during a reconcile,
 * and the Git server down. Each ends converged, with nothing pruned by mistake.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it, type TestContext } from "node:test";
import { annotations, type KubeObject } from "../../src/api/meta.ts";
import { startDevCluster, stopDevCluster } from "../../src/dev/cluster.ts";
import { freePort } from "../../src/dev/free_ports.ts";
import { restartComponent } from "../../src/dev/restart_component.ts";
import { Informer } from "../../src/runtime/cache/informer.ts";
import { KubeClient } from "../../src/runtime/kube/client.ts";
import { type ClusterConnection, fromKubeconfigFile } from "../../src/runtime/kube/kubeconfig.ts";
import { ObjectApi } from "../../src/runtime/kube/objects.ts";
import { findCondition } from "../../src/runtime/status/conditions.ts";
import { freshNamespace } from "../support/cluster.ts";
import { delayApplies } from "../support/delay_applies.ts";
import { GitFixtures, type GitHttpServer, startGitHttpServer } from "../support/git_server.ts";
import { startTestManager, testKubeconfigPath } from "../support/test_manager.ts";
import { createTestNamespace, deleteTestNamespace } from "../support/test_crd.ts";
import {
  ArtifactServer, configMap, core, createGitRepository, deployment, deploymentRef, eventually, getKs, gitRef, ksRef, kustomization, kustomizeBinary,
  readyOf, waitReady, yamlDocs,
} from "./kustomize_support.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cmRef = core("configmaps", "ConfigMap");
const ownerName = "kustomize.toolkit.fluxcd.io/name";

/** `n` ConfigMaps named `${prefix}-0` … in one multi-document file. */
function configMaps(prefix: string, from: number, to: number, data: Record<string, string>): string {
  const docs: string[] = [];
  for (let i = from; i < to; i++) docs.push(configMap(`${prefix}-${i}`, data));
  return yamlDocs(...docs);
}

const requestReconcile = (api: ObjectApi, ref: typeof gitRef, ns: string, name: string) =>
  api.mergePatch(ref, ns, name, { metadata: { annotations: { [annotations.requestedAt]: `${Date.now()}` } } });

/**
 * What happened to the ConfigMaps a Kustomization applied, seen through a watch for the whole
 * test: the uid each first had, every deletion, every object replaced by another of the same name.
 */
class ConfigMapLedger {
  readonly uids = new Map<string, string>();
  readonly deleted: string[] = [];
  readonly recreated: string[] = [];
  readonly informer: Informer;
  onChange: (ev: { type: string; object: KubeObject }) => void = () => {};

  constructor(api: ObjectApi, ns: string, ks: string) {
    this.informer = new Informer(api, { ref: cmRef, namespace: ns, labelSelector: `${ownerName}=${ks}` });
    this.informer.on((ev) => {
      const { name, uid } = ev.object.metadata;
      if (ev.type === "delete") this.deleted.push(name!);
      else if (!this.uids.has(name!)) this.uids.set(name!, uid!);
      else if (this.uids.get(name!) !== uid) this.recreated.push(name!);
      this.onChange(ev);
    });
    this.informer.start();
  }

  names(): string[] {
    return this.informer.list().map((o) => o.metadata.name!).sort();
  }
}

/** The controllers in a child process: `bin/sluice controllers`, or with applies held back (to be killed mid-apply). */
class ControllersProcess {
  readonly #flags: string[];
  readonly #logs: string;
  #n = 0;
  child: ChildProcess | undefined;

  constructor(flags: string[], logs: string) {
    this.#flags = flags;
    this.#logs = logs;
  }

  start(opts: { applyDelayMs?: number } = {}): ChildProcess {
    const log = createWriteStream(join(this.#logs, `controllers-${++this.#n}.log`));
    const child = opts.applyDelayMs
      ? spawn(process.execPath, ["--disable-warning=ExperimentalWarning", join(root, "test/support/controllers_main.ts"), "controllers", ...this.#flags], {
          env: { ...process.env, SLUICE_TEST_APPLY_DELAY_MS: String(opts.applyDelayMs) },
          stdio: ["ignore", "pipe", "pipe"],
        })
      : spawn(join(root, "bin/sluice"), ["controllers", ...this.#flags], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    this.child = child;
    return child;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  kill(): void {
    this.child?.kill("SIGKILL");
  }

  async exited(): Promise<void> {
    const c = this.child;
    if (c && c.exitCode === null && c.signalCode === null) await new Promise((r) => c.once("exit", r));
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.child!.kill("SIGTERM");
    const timer = setTimeout(() => this.kill(), 15_000);
    await this.exited();
    clearTimeout(timer);
  }
}

/** Deletes the Kustomizations and GitRepositories (their finalizers need the controllers running), then stops them. */
async function cleanUp(api: ObjectApi, ns: string, controllers: { running: boolean; start(): unknown; stop(): Promise<void> }): Promise<void> {
  if (!controllers.running) controllers.start();
  for (const ref of [ksRef, gitRef]) {
    for (const o of (await api.list(ref, ns)).items) await api.delete(ref, ns, o.metadata.name!).catch(() => undefined);
    await eventually(`${ref.kind}s finalized`, async () => (await api.list(ref, ns)).items.length === 0 || undefined, 30_000).catch(() => undefined);
  }
  await controllers.stop();
}

describe("kustomize: faults", { concurrency: true }, () => {
  let fixtures: GitFixtures;
  let git: GitHttpServer;
  before(async () => {
    fixtures = await GitFixtures.create();
    git = await startGitHttpServer(fixtures.root);
  });
  after(async () => {
    await git.stop();
    await fixtures.cleanup();
  });

  it("kill -9 in the middle of applying 200 objects: the restart converges with the full inventory and prunes nothing by mistake", { timeout: 240_000 }, async (t) => {
    const ns = await freshNamespace("ks-kill", t);
    const client = new KubeClient(fromKubeconfigFile(testKubeconfigPath()), { qps: 0 });
    const api = new ObjectApi(client);
    const work = await mkdtemp(join(tmpdir(), "sluice-kill-"));
    const port = await freePort();
    const controllers = new ControllersProcess([
      "--controllers=source,kustomize", "--no-watch-all-namespaces", `--namespace=${ns}`, "--metrics-addr=0", "--health-addr=0",
      `--storage-path=${join(work, "storage")}`, `--storage-addr=127.0.0.1:${port}`, `--kubeconfig=${testKubeconfigPath()}`,
      `--kustomize-binary=${kustomizeBinary()}`, "--requeue-dependency=2s", "--log-level=info",
    ], work);
    const ledger = new ConfigMapLedger(api, ns, "apps");
    // One hook, in order: the controllers must still run while the objects with finalizers go.
    t.after(async () => {
      ledger.informer.stop();
      await cleanUp(api, ns, controllers);
      await client.close();
      await rm(work, { recursive: true, force: true });
    });
    t.diagnostic(`controller logs in ${work}`);
    await ledger.informer.synced;
    const repo = await fixtures.repo(`kill-${ns}`);
    const sha1 = await repo.commit({ "apps/cms.yaml": configMaps("cm", 0, 200, { a: "1" }) }, "200 ConfigMaps");

    // 1. Killed during the first apply: no inventory has been written yet.
    controllers.start({ applyDelayMs: 100 });
    // Killed once 20 have landed: the stage's first object goes alone, the rest 8 at a time, 100 ms apart.
    ledger.onChange = () => {
      if (ledger.names().length >= 20) controllers.kill();
    };
    await api.create(gitRef, {
      apiVersion: "source.toolkit.fluxcd.io/v1", kind: "GitRepository", metadata: { name: "fleet", namespace: ns },
      spec: { url: git.url(`kill-${ns}`), interval: "10m", ref: { branch: "main" } },
    });
    await api.create(ksRef, kustomization(ns, "apps", { path: "./apps", targetNamespace: ns, sourceRef: { kind: "GitRepository", name: "fleet" } }));
    await controllers.exited();
    ledger.onChange = () => {};
    const landed = (await api.list(cmRef, ns, { labelSelector: `${ownerName}=apps` })).items.length;
    t.diagnostic(`killed with ${landed} of 200 ConfigMaps applied`);
    assert.ok(landed >= 20 && landed < 200, `the kill landed mid-apply (${landed} of 200 applied)`);
    assert.equal((await getKs(api, ns, "apps")).status?.inventory, undefined, "no inventory written before the kill");
    const beforeRestart = new Map(ledger.uids);

    controllers.start();
    const ks1 = await waitReady(api, ns, "apps", { revision: `main@sha1:${sha1}` }, 90_000);
    assert.equal(ks1.status!.inventory!.entries.length, 200);
    await eventually("all 200 in the watch", async () => ledger.names().length === 200 || undefined);
    for (const [name, uid] of beforeRestart) assert.equal(ledger.uids.get(name), uid, `${name} kept its uid`);
    assert.deepEqual(ledger.deleted, [], "nothing deleted");
    assert.deepEqual(ledger.recreated, [], "nothing recreated");
    const uidsAfterRev1 = new Map(ledger.uids);

    // 2. Killed while writing a new revision over an inventory of 200: 180 change, 20 leave, 20 arrive.
    await controllers.stop();
    const sha2 = await repo.commit({ "apps/cms.yaml": configMaps("cm", 0, 180, { a: "2" }) + "---\n" + configMaps("new", 0, 20, { a: "2" }) }, "revision 2");
    controllers.start({ applyDelayMs: 100 });
    const rev2 = (o: KubeObject) => (o as { data?: Record<string, string> }).data?.a === "2";
    ledger.onChange = () => {
      if (ledger.informer.list().filter(rev2).length >= 20) controllers.kill();
    };
    await requestReconcile(api, gitRef, ns, "fleet");
    await controllers.exited();
    ledger.onChange = () => {};
    const written = (await api.list<KubeObject & { data?: Record<string, string> }>(cmRef, ns, { labelSelector: `${ownerName}=apps` })).items.filter((c) => c.data?.a === "2").length;
    t.diagnostic(`killed with ${written} of 200 writes of revision 2 done`);
    assert.ok(written >= 20 && written < 200, `the kill landed mid-apply (${written} of 200 written)`);
    assert.deepEqual(ledger.deleted, [], "nothing pruned before the apply finished");

    controllers.start();
    const ks2 = await waitReady(api, ns, "apps", { revision: `main@sha1:${sha2}` }, 90_000);
    const expected = [...Array.from({ length: 180 }, (_, i) => `cm-${i}`), ...Array.from({ length: 20 }, (_, i) => `new-${i}`)].sort();
    assert.deepEqual(ks2.status!.inventory!.entries.map((e) => e.id.split("_")[1]).sort(), expected, "the inventory is exactly revision 2");
    await eventually("the watch to show revision 2", async () => ledger.names().join() === expected.join() || undefined);
    assert.deepEqual(ledger.deleted.sort(), Array.from({ length: 20 }, (_, i) => `cm-${180 + i}`).sort(), "only the 20 that left the source were pruned");
    assert.deepEqual(ledger.recreated, [], "nothing recreated");
    for (let i = 0; i < 180; i++) assert.equal(ledger.informer.get(ns, `cm-${i}`)!.metadata.uid, uidsAfterRev1.get(`cm-${i}`), `cm-${i} kept its uid`);
  });

  it("Git server down: the applied revision stays applied, both Ready conditions say why, and the next commit lands when it is back", { timeout: 120_000 }, async (t) => {
    const ns = await freshNamespace("ks-gitdown", t);
    const tm = await startTestManager(ns, ["source", "kustomize"], { flags: { kustomizeBinary: kustomizeBinary() } });
    const api = tm.manager.api;
    t.after(() => cleanUp(api, ns, { running: true, start: () => undefined, stop: () => tm.stop() }));
    // A server of its own: other tests share `git`.
    const server = await startGitHttpServer(fixtures.root);
    t.after(() => server.stop());
    const repo = await fixtures.repo(`down-${ns}`);
    const sha1 = await repo.commit({ "apps/settings.yaml": configMap("settings", { a: "1" }), "apps/web.yaml": deployment("web") }, "first");
    await api.create(gitRef, {
      apiVersion: "source.toolkit.fluxcd.io/v1", kind: "GitRepository", metadata: { name: "fleet", namespace: ns },
      spec: { url: server.url(`down-${ns}`), interval: "10m", ref: { branch: "main" } },
    });
    await api.create(ksRef, kustomization(ns, "apps", { path: "./apps", targetNamespace: ns, wait: true, sourceRef: { kind: "GitRepository", name: "fleet" } }));
    const applied = await waitReady(api, ns, "apps", { revision: `main@sha1:${sha1}` }, 60_000);
    assert.equal(readyOf(applied)!.message, `Applied revision: main@sha1:${sha1}`);
    const settings = await api.get(cmRef, ns, "settings");
    const web = await api.get(deploymentRef, ns, "web");

    server.down = true;
    await repo.commit({ "apps/settings.yaml": configMap("settings", { a: "2" }) }, "second");
    await requestReconcile(api, gitRef, ns, "fleet");
    type Source = KubeObject & { status?: { artifact?: { revision: string }; conditions?: Array<{ type: string; status: "True" | "False" | "Unknown"; reason: string; message: string; lastTransitionTime: string }> } };
    const failing = await eventually("the GitRepository to fail", async () => {
      const g = await api.get<Source>(gitRef, ns, "fleet");
      return findCondition(g as never, "Ready")?.status === "False" ? g : undefined;
    }, 60_000);
    const gitReady = findCondition(failing as never, "Ready")!;
    t.diagnostic(`GitRepository Ready=False ${gitReady.reason}: ${gitReady.message}`);
    assert.equal(gitReady.reason, "GitOperationFailed");
    assert.match(gitReady.message, /503/, "the source names the server's answer");
    assert.equal(failing.status!.artifact!.revision, `main@sha1:${sha1}`, "the source keeps its last artifact");

    const held = await eventually("the Kustomization to say why no newer revision comes", async () => {
      const ks = await getKs(api, ns, "apps");
      return readyOf(ks)?.message.includes("is not ready") ? ks : undefined;
    }, 30_000);
    const ksReady = readyOf(held)!;
    t.diagnostic(`Kustomization Ready=${ksReady.status} ${ksReady.reason}: ${ksReady.message}`);
    assert.equal(ksReady.status, "True", "what is applied is still applied and healthy");
    assert.equal(ksReady.message, `Applied revision: main@sha1:${sha1}; source GitRepository/${ns}/fleet is not ready (no newer revision until it is): ${gitReady.reason}: ${gitReady.message}`);
    assert.equal(held.status!.lastAppliedRevision, `main@sha1:${sha1}`);
    assert.deepEqual(held.status!.inventory, applied.status!.inventory, "the inventory is intact");

    // A reconcile during the outage changes nothing.
    await requestReconcile(api, ksRef, ns, "apps");
    await eventually("the Kustomization reconciled during the outage", async () => {
      const ks = await getKs(api, ns, "apps");
      return ks.status?.lastHandledReconcileAt === ks.metadata.annotations?.[annotations.requestedAt] || undefined;
    });
    assert.equal((await api.get(cmRef, ns, "settings")).metadata.resourceVersion, settings.metadata.resourceVersion, "settings untouched");
    const webNow = await api.get(deploymentRef, ns, "web");
    assert.equal(webNow.metadata.uid, web.metadata.uid, "web untouched");
    assert.equal(webNow.metadata.generation, web.metadata.generation, "web untouched");

    server.down = false;
    const sha2 = await repo.head();
    await requestReconcile(api, gitRef, ns, "fleet");
    const recovered = await waitReady(api, ns, "apps", { revision: `main@sha1:${sha2}` }, 60_000);
    assert.equal(readyOf(recovered)!.message, `Applied revision: main@sha1:${sha2}`, "the note is gone");
    assert.equal(((await api.get(cmRef, ns, "settings")) as KubeObject & { data: Record<string, string> }).data.a, "2");
  });
});

describe("kustomize: kube-apiserver restarted during a reconcile (a throwaway control plane)", () => {
  let stateDir: string;
  let connection: ClusterConnection;
  let client: KubeClient;
  let api: ObjectApi;
  let server: ArtifactServer;

  before(async () => {
    stateDir = await mkdtemp(join(tmpdir(), "sluice-ks-restart-"));
    const cluster = await startDevCluster({ stateDir, stopWhenProcessExits: process.pid, removeStateDir: true, progress: () => {} });
    connection = fromKubeconfigFile(cluster.kubeconfig);
    client = new KubeClient(connection, { qps: 0 });
    api = new ObjectApi(client);
    server = await new ArtifactServer().start();
  });
  after(async () => {
    await server?.close();
    await client?.close();
    await stopDevCluster({ stateDir, removeStateDir: true });
  });

  it("the reconcile cut off by the restart is retried at once and converges", { timeout: 240_000 }, async (t: TestContext) => {
    const ns = await createTestNamespace(api, "ks-apiserver");
    t.after(() => deleteTestNamespace(api, ns).catch(() => undefined));
    const tm = await startTestManager(ns, ["kustomize"], { manager: { connection }, flags: { kustomizeBinary: kustomizeBinary() } });
    t.after(() => cleanUp(api, ns, { running: true, start: () => undefined, stop: () => tm.stop() }));
    const art = await server.publish({ "apps/cms.yaml": configMaps("cm", 0, 120, { a: "1" }) });
    await createGitRepository(api, ns, "repo", art);
    // Writes held back, so the restart comes while the stage is being written.
    const undo = delayApplies(tm.manager.api, 100);
    const ledger = new ConfigMapLedger(api, ns, "apps");
    t.after(() => ledger.informer.stop());
    await ledger.informer.synced;
    const firstWrite = new Promise<void>((resolve) => (ledger.onChange = (ev) => ev.type === "add" && resolve()));
    // interval 1h and no retryInterval: only a prompt retry of the unreachable server can converge in time.
    await api.create(ksRef, kustomization(ns, "apps", { path: "./apps", targetNamespace: ns, interval: "1h" }));
    await firstWrite;
    const retriesBefore = await retries(tm.manager.metrics.queueRetries);
    const downAt = Date.now();
    await restartComponent("kube-apiserver", { stateDir, downMs: 2_000 });
    const backAt = Date.now();
    undo();
    t.diagnostic(`kube-apiserver down for ${backAt - downAt} ms`);

    const ks = await waitReady(api, ns, "apps", { revision: art.revision }, 90_000);
    t.diagnostic(`Ready ${Date.now() - backAt} ms after kube-apiserver was back`);
    assert.ok((await retries(tm.manager.metrics.queueRetries)) > retriesBefore, "the reconcile failed and was retried");
    assert.equal(ks.status!.inventory!.entries.length, 120);
    const live = (await api.list(cmRef, ns, { labelSelector: `${ownerName}=apps` })).items;
    assert.equal(live.length, 120);
    assert.deepEqual(ledger.deleted, []);
    assert.deepEqual(ledger.recreated, []);
  });
});

async function retries(counter: { get(): Promise<{ values: Array<{ value: number; labels: Record<string, string | number> }> }> }): Promise<number> {
  return (await counter.get()).values.filter((v) => v.labels.name === "kustomization").reduce((a, v) => a + v.value, 0);
}
