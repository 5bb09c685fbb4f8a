/**
 * Flux's fleet benchmark, on the local control plane: N Kustomizations from one GitRepository, each
 * applying a Deployment scaled to zero, a ServiceAccount, a Service and an Ingress with wait: true.
 * The source and kustomize controllers run in a child process (as `sluice controllers` would), with a
 * real Git server and GitRepository. Prints:
 *
 *  - time from creation until all are Ready, objects applied per second, API requests per object
 *    (by verb and resource), the controllers' peak RSS and CPU time, and what kube-apiserver, etcd
 *    and kube-controller-manager spent meanwhile (with when Sluice had applied every Deployment and
 *    when kube-controller-manager had caught up with them: wait: true waits for it);
 *  - a no-op reconcile of the fleet (requestedAt on every Kustomization): requests per managed object;
 *  - a new revision of the fleet's repository that changes none of its objects;
 *  - the time from a commit pushed (and requestedAt set on its GitRepository) until it is applied.
 *
 *   node bench/kustomize_fleet.ts [N=100] [--concurrent=10] [--no-wait] [--kubeconfig=PATH] [--cpu-prof=DIR]
 */
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import diagnostics from "node:diagnostics_channel";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Kustomization } from "../src/api/kustomize/kustomization.ts";
import { annotations, type KubeObject } from "../src/api/meta.ts";
import { controllerSets } from "../src/cli/controller_sets.ts";
import { devLayout } from "../src/dev/dev_layout.ts";
import { readDevState } from "../src/dev/dev_state.ts";
import { devKubeconfigPath, devStateDir } from "../src/dev/paths.ts";
import { mapLimit } from "../src/runtime/apply/map_limit.ts";
import { Informer } from "../src/runtime/cache/informer.ts";
import { defaultControllerFlags } from "../src/runtime/controller_flags.ts";
import { KubeClient } from "../src/runtime/kube/client.ts";
import { fromKubeconfigFile } from "../src/runtime/kube/kubeconfig.ts";
import { ObjectApi } from "../src/runtime/kube/objects.ts";
import { Manager } from "../src/runtime/manager.ts";
import { createLogger } from "../src/runtime/ops/logger.ts";
import { findCondition } from "../src/runtime/status/conditions.ts";
import { configMap, core, deploymentRef, gitRef, ksRef, kustomization, kustomizeBinary } from "../test/e2e/kustomize_support.ts";
import { GitFixtures, startGitHttpServer } from "../test/support/git_server.ts";
import { childStats, nextMessage, serveManager } from "./manager_child.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    concurrent: { type: "string", default: "10" },
    kubeconfig: { type: "string" },
    namespace: { type: "string" },
    "cpu-prof": { type: "string" },
    // wait: false, to tell Sluice's own pace from kube-controller-manager's (wait: true waits for it).
    "no-wait": { type: "boolean", default: false },
  },
});
const kubeconfig = values.kubeconfig ?? process.env.SLUICE_TEST_KUBECONFIG ?? devKubeconfigPath();
const concurrent = Number(values.concurrent);

interface Stats {
  requests: number;
  connections: number;
  tally: Record<string, number>;
  maxRssMb: number;
  cpuSeconds: number;
  memory: NodeJS.MemoryUsage;
}


/** The child: the source and kustomize controllers in one manager, answering "stats" over IPC. */
async function runControllers(namespace: string, storage: string): Promise<void> {
  const tally = new Map<string, number>();
  let connections = 0;
  diagnostics.subscribe("undici:client:connected", () => connections++);
  const manager = new Manager({
    connection: fromKubeconfigFile(kubeconfig),
    name: "sluice-bench",
    namespace,
    concurrent,
    // sluice controllers' defaults (the bucket gives way to API Priority and Fairness).
    qps: 50,
    burst: 300,
    log: createLogger("error"),
    onApiResponse: (verb, _code, _s, req) => {
      const key = `${verb}${req.query?.dryRun ? " (dry-run)" : ""} ${resourceOf(req.path)}`;
      tally.set(key, (tally.get(key) ?? 0) + 1);
    },
  });
  const flags = defaultControllerFlags({ kustomizeBinary: kustomizeBinary(), storagePath: storage, storageAddr: "127.0.0.1:0", requeueDependencyMs: 5_000 });
  for (const c of ["source", "kustomize"]) await controllerSets[c](manager, flags);
  await serveManager(manager, (): Stats => {
    const cpu = process.cpuUsage();
    return {
      requests: manager.client.requestCount,
      connections,
      tally: Object.fromEntries(tally),
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      memory: process.memoryUsage(),
    };
  });
}

async function runBench(n: number): Promise<void> {
  if (!existsSync(kubeconfig)) throw new Error(`no kubeconfig at ${kubeconfig}: run \`sluice dev up\` first`);
  const client = new KubeClient(fromKubeconfigFile(kubeconfig), { qps: 0, maxInFlight: 100 });
  const api = new ObjectApi(client);
  const ns = `bench-ks-${randomBytes(3).toString("hex")}`;
  const nsRef = core("namespaces", "Namespace", false);
  await api.create(nsRef, { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
  const log = (line: string) => process.stderr.write(`${line}\n`);

  const fixtures = await GitFixtures.create();
  const git = await startGitHttpServer(fixtures.root);
  const fleet = await fixtures.repo("fleet");
  await fleet.commit({ "app/fleet.yaml": fleetManifests }, "fleet");
  const sample = await fixtures.repo("sample");
  await sample.commit({ "app/config.yaml": configMap("sample", { round: "0" }) }, "sample");

  const storage = await mkdtemp(join(tmpdir(), "sluice-bench-storage-"));
  const prof = values["cpu-prof"];
  const child = fork(new URL(import.meta.url).pathname, ["controllers", storage, `--namespace=${ns}`, `--concurrent=${concurrent}`, `--kubeconfig=${kubeconfig}`], {
    execArgv: ["--disable-warning=ExperimentalWarning", ...(prof ? ["--cpu-prof", `--cpu-prof-dir=${prof}`] : [])],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  await nextMessage(child);

  for (const [name, repo] of [["fleet", "fleet"], ["sample", "sample"]]) {
    await api.create(gitRef, {
      apiVersion: "source.toolkit.fluxcd.io/v1", kind: "GitRepository", metadata: { name, namespace: ns },
      spec: { url: git.url(repo), interval: "1h", ref: { branch: "main" } },
    });
  }
  const sources = new Informer<KubeObject & { status?: { artifact?: { revision: string } } }>(api, { ref: gitRef, namespace: ns });
  const kss = new Informer<Kustomization>(api, { ref: ksRef, namespace: ns });
  const deployments = new Informer<KubeObject & { status?: { observedGeneration?: number } }>(api, { ref: deploymentRef, namespace: ns });
  for (const i of [sources, kss, deployments]) i.start();
  await Promise.all([sources.synced, kss.synced, deployments.synced]);
  const revisionOf = (name: string) => sources.get(ns, name)?.status?.artifact?.revision;
  await until("the GitRepositories' artifacts", () => revisionOf("fleet") !== undefined && revisionOf("sample") !== undefined, 60_000);
  const fleetRevision = revisionOf("fleet")!;

  // 1. The fleet, from creation to Ready.
  const apps = (k: Kustomization) => k.metadata.name!.startsWith("app-");
  const fleetReady = (revision: string) => {
    const all = kss.list().filter(apps);
    return all.length === n && all.every((k) => findCondition(k, "Ready")?.status === "True" && k.status?.lastAppliedRevision === revision);
  };
  const marks: { applied?: number; observed?: number } = {};
  const mark = () => {
    const all = deployments.list();
    if (all.length < n) return;
    marks.applied ??= performance.now();
    if (all.every((d) => d.status?.observedGeneration === d.metadata.generation)) marks.observed ??= performance.now();
  };
  deployments.on(mark, { replay: false });
  const components = ["kube-apiserver", "etcd", "kube-controller-manager"];
  const cpu0 = componentCpu(components);
  const s0 = await childStats<Stats>(child);
  const t0 = performance.now();
  await mapLimit([...Array(n).keys()], 50, (i) =>
    api.create(ksRef, kustomization(ns, `app-${i}`, {
      path: "./app", wait: !values["no-wait"], targetNamespace: ns, interval: "1h", timeout: "5m", postBuild: { substitute: { app: `app-${i}` } },
      sourceRef: { kind: "GitRepository", name: "fleet" },
    })),
  );
  await until(`${n} Kustomizations Ready`, () => fleetReady(fleetRevision), 900_000);
  const readySeconds = (performance.now() - t0) / 1000;
  const s1 = await childStats<Stats>(child);
  const cpu1 = componentCpu(components);
  // Without wait, how long kube-controller-manager takes to catch up on its own.
  if (values["no-wait"]) await until("kube-controller-manager to observe every Deployment", () => (mark(), marks.observed !== undefined), 600_000);
  const objects = 4 * n;

  // 2. A no-op reconcile of the whole fleet.
  const token = `bench-${Date.now()}`;
  const t2 = performance.now();
  await mapLimit(kss.list().filter(apps), 50, (k) => api.mergePatch(ksRef, ns, k.metadata.name!, { metadata: { annotations: { [annotations.requestedAt]: token } } }));
  await until("the no-op reconcile", () => kss.list().filter(apps).every((k) => k.status?.lastHandledReconcileAt === token), 600_000);
  const noopSeconds = (performance.now() - t2) / 1000;
  const s2 = await childStats<Stats>(child);

  // 3. A new revision of the fleet's repository that changes none of its objects.
  await fleet.commit({ "README.md": "the fleet\n" }, "docs only");
  const t3 = performance.now();
  await api.mergePatch(gitRef, ns, "fleet", { metadata: { annotations: { [annotations.requestedAt]: `${Date.now()}` } } });
  await until("the new revision", () => revisionOf("fleet") !== fleetRevision && fleetReady(revisionOf("fleet")!), 600_000);
  const revisionSeconds = (performance.now() - t3) / 1000;
  const s3 = await childStats<Stats>(child);

  // 4. A commit to a repository with one Kustomization, applied.
  await api.create(ksRef, kustomization(ns, "sample", { path: "./app", targetNamespace: ns, interval: "1h", sourceRef: { kind: "GitRepository", name: "sample" } }));
  await until("the sample Kustomization", () => findCondition(kss.get(ns, "sample") ?? { metadata: {} }, "Ready")?.status === "True", 60_000);
  const commitMs: number[] = [];
  for (let round = 1; round <= 5; round++) {
    const sha = await sample.commit({ "app/config.yaml": configMap("sample", { round: String(round) }) }, `round ${round}`);
    const asked = performance.now();
    await api.mergePatch(gitRef, ns, "sample", { metadata: { annotations: { [annotations.requestedAt]: `${Date.now()}` } } });
    await until(`commit ${round} applied`, () => kss.get(ns, "sample")?.status?.lastAppliedRevision === `main@sha1:${sha}`, 60_000, 5);
    commitMs.push(performance.now() - asked);
  }

  const created = diff(s1, s0);
  const lines = [
    `kustomize fleet: ${n} Kustomizations x 4 objects from one GitRepository, wait: ${!values["no-wait"]}, --concurrent=${concurrent}`,
    `  all Ready in            ${readySeconds.toFixed(1)} s (every Deployment applied at ${secondsSince(t0, marks.applied)}, seen by kube-controller-manager at ${secondsSince(t0, marks.observed)})`,
    `  objects applied/s       ${(objects / readySeconds).toFixed(0)}`,
    `  API requests            ${created.requests} (${(created.requests / objects).toFixed(2)} per object, ${(created.requests / n).toFixed(1)} per Kustomization)`,
    `                          ${breakdown(created.tally)}`,
    `  controllers             peak RSS ${s1.maxRssMb.toFixed(0)} MiB, CPU ${(s1.cpuSeconds - s0.cpuSeconds).toFixed(1)} s, ${s1.connections - s0.connections} connections opened; when Ready: ${memoryOf(s1.memory)}`,
    `  meanwhile               ${components.map((c) => `${c} CPU ${(cpu1[c] - cpu0[c]).toFixed(1)} s`).join(", ")} (${kcmQps()})`,
    `  no-op reconcile         ${noopSeconds.toFixed(1)} s, ${diff(s2, s1).requests} requests = ${(diff(s2, s1).requests / objects).toFixed(2)} per managed object (${breakdown(diff(s2, s1).tally)})`,
    `  new revision, no change ${revisionSeconds.toFixed(1)} s for all ${n}, ${diff(s3, s2).requests} requests (${breakdown(diff(s3, s2).tally)})`,
    `  commit to applied       ${commitMs.map((ms) => `${Math.round(ms)} ms`).join(", ")} (push, then requestedAt on the GitRepository; one Kustomization)`,
    `  peak RSS                ${(await childStats<Stats>(child)).maxRssMb.toFixed(0)} MiB (controllers, whole run; at the end: ${memoryOf((await childStats<Stats>(child)).memory)})`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);

  log("cleaning up…");
  await mapLimit(kss.list(), 50, (k) => api.delete(ksRef, ns, k.metadata.name!));
  await until("Kustomizations finalized", () => kss.size === 0, 600_000).catch((e) => log(String(e)));
  for (const name of ["fleet", "sample"]) await api.delete(gitRef, ns, name).catch(() => undefined);
  await until("GitRepositories finalized", () => sources.size === 0, 60_000).catch((e) => log(String(e)));
  for (const i of [sources, kss, deployments]) i.stop();
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.send("stop");
  await exited;
  await api.delete(nsRef, undefined, ns);
  await git.stop();
  await fixtures.cleanup();
  await rm(storage, { recursive: true, force: true });
  await client.close();
}

const fleetManifests = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: \${app}
---
apiVersion: v1
kind: Service
metadata:
  name: \${app}
spec:
  selector:
    app: \${app}
  ports:
  - port: 80
    targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: \${app}
spec:
  replicas: 0
  selector:
    matchLabels:
      app: \${app}
  template:
    metadata:
      labels:
        app: \${app}
    spec:
      serviceAccountName: \${app}
      containers:
      - name: app
        image: ghcr.io/stefanprodan/podinfo:6.7.1
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: \${app}
spec:
  rules:
  - host: \${app}.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: \${app}
            port: {number: 80}
`;

function diff(b: Stats, a: Stats): { requests: number; tally: Map<string, number> } {
  const tally = new Map<string, number>();
  for (const [k, v] of Object.entries(b.tally)) if (v - (a.tally[k] ?? 0) > 0) tally.set(k, v - (a.tally[k] ?? 0));
  return { requests: b.requests - a.requests, tally };
}

function until(what: string, done: () => boolean, timeoutMs: number, everyMs = 50): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const tick = setInterval(() => {
      if (done()) {
        clearInterval(tick);
        resolve();
      } else if (Date.now() > deadline) {
        clearInterval(tick);
        reject(new Error(`timed out waiting for ${what}`));
      }
    }, everyMs);
  });
}

function memoryOf(m: NodeJS.MemoryUsage): string {
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MiB`;
  return `RSS ${mb(m.rss)}, heap ${mb(m.heapUsed)} used of ${mb(m.heapTotal)}, external ${mb(m.external)}`;
}

function secondsSince(t0: number, t: number | undefined): string {
  return t === undefined ? "?" : `${((t - t0) / 1000).toFixed(1)} s`;
}

/** CPU seconds (user + system) each dev cluster component has used so far, from /proc. */
function componentCpu(names: string[]): Record<string, number> {
  const state = readDevState(devLayout(devStateDir()));
  const out: Record<string, number> = {};
  for (const name of names) {
    const pid = state?.components.find((c) => c.name === name)?.pid;
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      out[name] = (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      out[name] = Number.NaN;
    }
  }
  return out;
}

/** kube-controller-manager's client limits, from its command line. */
function kcmQps(): string {
  const pid = readDevState(devLayout(devStateDir()))?.components.find((c) => c.name === "kube-controller-manager")?.pid;
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    const flag = (f: string) => args.find((a) => a.startsWith(`${f}=`))?.split("=")[1] ?? "default";
    return `kube-controller-manager --kube-api-qps=${flag("--kube-api-qps")} --kube-api-burst=${flag("--kube-api-burst")}`;
  } catch {
    return "kube-controller-manager flags unknown";
  }
}

/** e.g. "deployments" or "kustomizations/status" from a request path. */
function resourceOf(path: string): string {
  const parts = path.split("/").filter(Boolean);
  let rest = parts[0] === "api" ? parts.slice(2) : parts.slice(3);
  if (rest[0] === "namespaces" && rest.length > 2) rest = rest.slice(2);
  return rest.length >= 3 ? `${rest[0]}/${rest[2]}` : (rest[0] ?? path);
}

function breakdown(t: Map<string, number>): string {
  return [...t].sort((a, b) => b[1] - a[1]).filter(([, v]) => v > 1).map(([k, v]) => `${k}: ${v}`).join(", ") || "none";
}

if (positionals[0] === "controllers") await runControllers(values.namespace!, positionals[1]);
else await runBench(Number(positionals[0] ?? 100));
