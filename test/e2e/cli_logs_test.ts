/**
 * `sluice logs` on the real control plane: the kwok nodes serve a pod's log from the file a kwok Logs
 * object names (src/dev/kwok_crds.ts), so a fake "controller" pod gets log lines the test writes.
 */
import assert from "node:assert/strict";
import { appendFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { waitUntil } from "../../src/dev/wait_until.ts";
import { freshNamespace, kube, kubeOk } from "../support/cluster.ts";
import { cliEnv, collect, interrupt, sluice, spawnSluice } from "./cli_support.ts";

const dir = await mkdtemp(join(tmpdir(), "sluice-logs-"));
after(() => rm(dir, { recursive: true, force: true }));

/** One line of a container log file as the kubelet (and kwok) keep it: CRI format. */
const cri = (time: Date, text: string) => `${time.toISOString()} stderr F ${text}\n`;

/** Whether the cluster's kwok nodes point at a kubelet endpoint (dev clusters from before that do not). */
async function nodesServeLogs(): Promise<boolean> {
  const nodes = (await kubeOk({ path: "/api/v1/nodes" })).json<{ items: { status?: { daemonEndpoints?: { kubeletEndpoint?: { Port?: number } } } }[] }>();
  return nodes.items.some((n) => (n.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 0) > 0);
}

/** A Deployment labelled like config/manager's controllers; answers its pod's name once it runs. */
async function controllerPod(ns: string): Promise<string> {
  const labels = { app: "source-controller", "app.kubernetes.io/part-of": "sluice", "app.kubernetes.io/component": "source-controller" };
  await kubeOk({
    method: "POST",
    path: `/apis/apps/v1/namespaces/${ns}/deployments`,
    body: {
      apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "source-controller", labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: "source-controller" } },
        template: { metadata: { labels }, spec: { containers: [{ name: "manager", image: "registry.invalid/sluice:test" }] } },
      },
    },
  });
  return waitUntil(async () => {
    const pods = (await kubeOk({ path: `/api/v1/namespaces/${ns}/pods?labelSelector=app%3Dsource-controller` })).json<{
      items: { metadata: { name: string }; status?: { phase?: string } }[];
    }>();
    return pods.items.find((p) => p.status?.phase === "Running")?.metadata.name;
  }, { timeoutMs: 60_000, what: `the controller pod in ${ns} to run` });
}

async function mapLogs(ns: string, pod: string, file: string): Promise<void> {
  await kubeOk({
    method: "POST",
    path: `/apis/kwok.x-k8s.io/v1alpha1/namespaces/${ns}/logs`,
    body: { apiVersion: "kwok.x-k8s.io/v1alpha1", kind: "Logs", metadata: { name: pod }, spec: { logs: [{ containers: ["manager"], logsFile: file, follow: true }] } },
  });
  // kwok picks the Logs object up from its watch.
  await waitUntil(async () => (await kube({ path: `/api/v1/namespaces/${ns}/pods/${pod}/log`, accept: "*/*" })).status === 200, {
    timeoutMs: 20_000, what: `kwok to serve the log of ${ns}/${pod}`,
  });
}

let ns = "";
let file = "";
let skip: string | undefined;
const old = new Date(Date.now() - 2 * 3600_000);

before(async () => {
  if (!(await nodesServeLogs())) {
    skip = "the cluster's kwok nodes serve no pod logs (a dev cluster started before they did: `sluice dev down && sluice dev up`)";
    return;
  }
  ns = await freshNamespace("logs");
  file = join(dir, "manager.log");
  const now = new Date();
  const entry = (fields: Record<string, unknown>) => JSON.stringify({ time: now.toISOString(), ...fields });
  await writeFile(file, [
    cri(old, JSON.stringify({ level: "info", time: old.toISOString(), controller: "gitrepository", kind: "GitRepository", namespace: ns, name: "old-repo", msg: "old entry" })),
    cri(now, entry({ level: "info", controller: "gitrepository", kind: "GitRepository", namespace: ns, name: "podinfo", reconcileID: "r1", msg: "stored artifact" })),
    cri(now, entry({ level: "error", controller: "kustomization", kind: "Kustomization", namespace: ns, name: "apps", msg: "reconcile failed", err: { type: "Error", message: "path not found", stack: "Error: path not found" } })),
    cri(now, entry({ level: "debug", controller: "gitrepository", kind: "GitRepository", namespace: "elsewhere", name: "podinfo", msg: "other namespace" })),
    cri(now, entry({ level: "info", controller: "kustomization", msg: "controller started" })),
    cri(now, "plain text line"),
  ].join(""));
  await mapLogs(ns, await controllerPod(ns), file);
});

const logs = (...args: string[]) => sluice(["logs", "--flux-namespace", ns, ...args]);
const lines = (stdout: string) => stdout.split("\n").filter((l) => l !== "");

test("entries are formatted one a line, and -n keeps the objects of that namespace", async (t) => {
  if (skip) return t.skip(skip);
  const r = await logs("-n", ns);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(lines(r.stdout).map((l) => l.replace(/^\S+Z /, "<time> ")), [
    `<time> info GitRepository/${ns}/old-repo - old entry`,
    `<time> info GitRepository/${ns}/podinfo - stored artifact`,
    `<time> error Kustomization/${ns}/apps - reconcile failed: path not found`,
    "plain text line",
  ]);
  assert.match(lines(r.stdout)[0], new RegExp(`^${old.toISOString()} `));
});

test("-A keeps every namespace and entries about no object; --level, --kind and --name filter", async (t) => {
  if (skip) return t.skip(skip);
  const all = await logs("-A");
  assert.equal(all.code, 0, all.stderr);
  assert.equal(lines(all.stdout).length, 6);
  assert.match(all.stdout, / debug GitRepository\/elsewhere\/podinfo - other namespace\n/);
  assert.match(all.stdout, / info kustomization - controller started\n/);

  const errors = await logs("-A", "--level", "error");
  assert.deepEqual(lines(errors.stdout).map((l) => l.replace(/^\S+Z /, "")), [`error Kustomization/${ns}/apps - reconcile failed: path not found`, "plain text line"]);

  const podinfo = await logs("-A", "--kind", "gitrepository", "--name", "PodInfo");
  assert.deepEqual(lines(podinfo.stdout).map((l) => (l.includes(" - ") ? l.split(" ")[2] : l)), [`GitRepository/${ns}/podinfo`, "GitRepository/elsewhere/podinfo", "plain text line"]);

  const ks = await logs("-A", "--kind", "ks");
  assert.deepEqual(lines(ks.stdout).filter((l) => l.includes(" - ")).length, 1, ks.stdout);
});

test("--tail and --since are the pod log API's, per controller", async (t) => {
  if (skip) return t.skip(skip);
  const tail = await logs("-A", "--tail", "2");
  assert.equal(tail.code, 0, tail.stderr);
  assert.deepEqual(lines(tail.stdout).map((l) => l.replace(/^\S+Z /, "")), ["info kustomization - controller started", "plain text line"]);
  const since = await logs("-A", "--since", "1h");
  assert.equal(since.code, 0, since.stderr);
  assert.equal(lines(since.stdout).length, 5);
  assert.doesNotMatch(since.stdout, /old entry/);
});

test("-f prints entries as they are written until Ctrl-C", async (t) => {
  if (skip) return t.skip(skip);
  const child = spawnSluice(["logs", "--flux-namespace", ns, "-n", ns, "-f", "--tail", "1"], { env: cliEnv() });
  const out = collect(child.stdout!);
  await out.waitFor((all) => all.includes("plain text line\n"));
  await appendFile(file, cri(new Date(), JSON.stringify({ level: "info", time: new Date().toISOString(), kind: "GitRepository", namespace: ns, name: "podinfo", msg: "appended while following" })));
  await appendFile(file, cri(new Date(), JSON.stringify({ level: "info", kind: "GitRepository", namespace: "elsewhere", name: "x", msg: "filtered out" })));
  await out.waitFor((all) => all.includes(`GitRepository/${ns}/podinfo - appended while following\n`));
  assert.equal(await interrupt(child), 0);
  assert.doesNotMatch(out.text(), /filtered out|stored artifact/);
});

// Also on a cluster whose nodes serve no logs: there the API server's call to the node fails.
test("no controller pods, or a log that cannot be read, is one line and exit 1", async (t) => {
  const empty = await freshNamespace("logs-none", t);
  const none = await sluice(["logs", "--flux-namespace", empty]);
  assert.equal(none.code, 1);
  assert.equal(none.stderr, `✗ no Sluice controller pods (label app.kubernetes.io/part-of=sluice) in namespace ${empty}: is Sluice installed there? (see --flux-namespace)\n`);

  const unmapped = await freshNamespace("logs-unread", t);
  const pod = await controllerPod(unmapped);
  const r = await sluice(["logs", "--flux-namespace", unmapped]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, new RegExp(`^✗ cannot read the logs of pod ${unmapped}/${pod} \\(container manager\\): .+\\n$`));
});
