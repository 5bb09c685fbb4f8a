/**
 * The controller runtime alone, on a real API server: N test Widgets (with a finalizer, like every
 * Flux kind) created at once, then measured until all are Ready, and until all are deleted again.
 * The manager runs in a child process so that its peak RSS is its own.
 *
 *   node bench/runtime.ts [--count=1000] [--concurrent=10] [--qps=50] [--burst=300] [--kubeconfig=PATH]
 *
 * Kubeconfig: --kubeconfig, else SLUICE_TEST_KUBECONFIG, else the dev cluster's. Prints, asserts nothing.
 */
import { fork } from "node:child_process";
import { parseArgs } from "node:util";
import { devKubeconfigPath } from "../src/dev/paths.ts";
import { Informer } from "../src/runtime/cache/informer.ts";
import { KubeClient } from "../src/runtime/kube/client.ts";
import { fromKubeconfigFile } from "../src/runtime/kube/kubeconfig.ts";
import { ObjectApi } from "../src/runtime/kube/objects.ts";
import { Manager } from "../src/runtime/manager.ts";
import { createLogger } from "../src/runtime/ops/logger.ts";
import { applyWidgetCrd, createTestNamespace, type Widget, widget, widgetReconciler, widgetRef } from "../test/support/test_crd.ts";
import { childStats, nextMessage, serveManager } from "./manager_child.ts";

interface Options {
  count: number;
  concurrent: number;
  qps: number;
  burst: number;
  kubeconfig: string;
}

interface ManagerStats {
  requests: number;
  byVerb: Record<string, number>;
  reconciles: number;
  maxRssMb: number;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    count: { type: "string", default: "1000" },
    concurrent: { type: "string", default: "10" },
    qps: { type: "string", default: "50" },
    burst: { type: "string", default: "300" },
    kubeconfig: { type: "string" },
    namespace: { type: "string" },
  },
});
const opts: Options = {
  count: Number(values.count),
  concurrent: Number(values.concurrent),
  qps: Number(values.qps),
  burst: Number(values.burst),
  kubeconfig: values.kubeconfig ?? process.env.SLUICE_TEST_KUBECONFIG ?? devKubeconfigPath(),
};

if (positionals[0] === "manager") await runManager(opts, values.namespace!);
else await runBench(opts);

/** The child: one manager with the widget controller, answering "stats" over IPC. */
async function runManager(o: Options, namespace: string): Promise<void> {
  const manager = new Manager({
    connection: fromKubeconfigFile(o.kubeconfig),
    name: "sluice-bench",
    namespace,
    concurrent: o.concurrent,
    qps: o.qps,
    burst: o.burst,
    log: createLogger("warn"),
  });
  manager.add(widgetReconciler().reconciler);
  await serveManager(manager, async (): Promise<ManagerStats> => {
    const byVerb: Record<string, number> = {};
    for (const v of (await manager.metrics.apiRequests.get()).values) byVerb[`${v.labels.verb} ${v.labels.code}`] = v.value;
    const reconciles = (await manager.metrics.reconcileTotal.get()).values.reduce((sum, v) => sum + v.value, 0);
    return { requests: manager.client.requestCount, byVerb, reconciles, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  });
}

async function runBench(o: Options): Promise<void> {
  const client = new KubeClient(fromKubeconfigFile(o.kubeconfig), { qps: 0, maxInFlight: 100 });
  const api = new ObjectApi(client);
  await applyWidgetCrd(api);
  const ns = await createTestNamespace(api, "bench-runtime");
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log(`namespace ${ns}: ${o.count} widgets, --concurrent=${o.concurrent}, --kube-api-qps=${o.qps}, --kube-api-burst=${o.burst}`);

  // The bench's own view of progress: a watch, not polls.
  const observer = new Informer<Widget>(api, { ref: widgetRef, namespace: ns });
  const ready = new Set<string>();
  let allReady!: () => void;
  const allReadyP = new Promise<void>((r) => (allReady = r));
  observer.on((ev) => {
    const name = ev.object.metadata.name!;
    if (ev.type === "delete") ready.delete(name);
    else if (ev.object.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")) ready.add(name);
    if (ready.size === o.count) allReady();
  });
  observer.start();
  await observer.synced;

  const child = fork(new URL(import.meta.url).pathname, ["manager", `--namespace=${ns}`, ...process.argv.slice(2)], {
    execArgv: ["--disable-warning=ExperimentalWarning"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  await nextMessage(child);
  const idle = await childStats<ManagerStats>(child);

  const t0 = performance.now();
  let next = 0;
  const create = async () => {
    while (next < o.count) {
      const i = next++;
      await api.create(widgetRef, widget(ns, `w${String(i).padStart(5, "0")}`, { value: "v1", interval: "1h" }));
    }
  };
  await Promise.all(Array.from({ length: 64 }, create));
  const created = performance.now() - t0;
  await allReadyP;
  const readyMs = performance.now() - t0;
  const busy = await childStats<ManagerStats>(child);

  const t1 = performance.now();
  await api.delete({ group: "", version: "v1", resource: "namespaces", kind: "Namespace", namespaced: false }, undefined, ns);
  while (observer.size > 0) await new Promise((r) => setTimeout(r, 50));
  const deletedMs = performance.now() - t1;
  const end = await childStats<ManagerStats>(child);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.send("stop");
  await exited;
  observer.stop();
  await client.close();

  const requests = busy.requests - idle.requests;
  const verbs = Object.entries(busy.byVerb)
    .map(([k, v]) => [k, v - (idle.byVerb[k] ?? 0)] as const)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k}: ${v}`)
    .join(", ");
  const seconds = readyMs / 1000;
  const rows: Array<[string, string]> = [
    ["objects", String(o.count)],
    ["created in", `${(created / 1000).toFixed(2)} s (64 parallel creates, bench client)`],
    ["all Ready after", `${seconds.toFixed(2)} s from the first create`],
    ["reconciles", `${busy.reconciles} (${(busy.reconciles / seconds).toFixed(0)} reconciles/s)`],
    ["Ready objects/s", (o.count / seconds).toFixed(0)],
    ["API requests", `${requests} (${(requests / o.count).toFixed(2)} per object; ${verbs})`],
    ["all deleted after", `${(deletedMs / 1000).toFixed(2)} s (finalizers removed: ${end.requests - busy.requests} requests)`],
    ["manager peak RSS", `${end.maxRssMb.toFixed(0)} MiB (idle, cache synced: ${idle.maxRssMb.toFixed(0)} MiB)`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`sluice runtime benchmark\n${rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join("\n")}\n`);
}
