/**
 * Two managers in child processes share one Lease: only the leader reconciles, and when it is
 * killed with SIGKILL (no release) the other takes over within the lease duration.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { KubeClient } from "../../src/runtime/kube/client.ts";
import { fromKubeconfigFile } from "../../src/runtime/kube/kubeconfig.ts";
import { ObjectApi } from "../../src/runtime/kube/objects.ts";
import {
  applyWidgetCrd,
  createTestNamespace,
  deleteTestNamespace,
  eventually,
  type Widget,
  widget,
  widgetRef,
} from "../support/test_crd.ts";
import { testKubeconfigPath } from "../support/test_manager.ts";

const kubeconfig = testKubeconfigPath();
const client = new KubeClient(fromKubeconfigFile(kubeconfig), { qps: 0 });
const api = new ObjectApi(client);
const entry = fileURLToPath(new URL("../support/widget_manager_main.ts", import.meta.url));
const leaseDurationMs = 4_000;

interface Child {
  identity: string;
  proc: ChildProcess;
  lines: Array<Record<string, unknown>>;
}

function startManager(namespace: string, identity: string): Child {
  const proc = spawn(process.execPath, ["--disable-warning=ExperimentalWarning", entry, kubeconfig, namespace, identity, String(leaseDurationMs)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const child: Child = { identity, proc, lines: [] };
  let buffered = "";
  proc.stdout!.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    let nl = buffered.indexOf("\n");
    while (nl >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      try {
        child.lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a log line
      }
      nl = buffered.indexOf("\n");
    }
  });
  return child;
}

const leads = (c: Child) => c.lines.some((l) => l.msg === "became leader");
const reconciles = (c: Child) => c.lines.filter((l) => l.msg === "reconciled");
const exited = (c: Child) => new Promise<void>((resolve) => (c.proc.exitCode !== null || c.proc.signalCode !== null ? resolve() : c.proc.once("exit", () => resolve())));

describe("runtime: leader election", () => {
  const children: Child[] = [];
  let ns: string;

  before(async () => {
    await applyWidgetCrd(api);
    ns = await createTestNamespace(api, "rt-leader");
  });
  after(async () => {
    for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill("SIGTERM");
    await Promise.all(children.map(exited));
    await deleteTestNamespace(api, ns);
    await client.close();
  });

  it("lets only the leader reconcile, and fails over within the lease duration after kill -9", async (t) => {
    const a = startManager(ns, "manager-a");
    children.push(a);
    await eventually("manager-a to lead", () => leads(a), 30_000);
    const b = startManager(ns, "manager-b");
    children.push(b);
    await eventually("manager-b to start and wait for the lease", () => b.lines.some((l) => l.msg === "starting"), 30_000);

    for (let i = 0; i < 5; i++) await api.create(widgetRef, widget(ns, `w${i}`, { value: "one" }));
    await eventually("all widgets reconciled by manager-a", async () => {
      const { items } = await api.list<Widget>(widgetRef, ns);
      return items.length === 5 && items.every((w) => w.status?.reconciledBy === "manager-a" && w.status.value === "one");
    });
    assert.equal(leads(b), false, "manager-b does not lead");
    assert.equal(reconciles(b).length, 0, "manager-b reconciles nothing");
    // The status is written before the log line of that reconcile reaches this process's pipe.
    await eventually("manager-a to log its 5 reconciles", () => reconciles(a).length >= 5, 10_000);

    const killedAt = Date.now();
    a.proc.kill("SIGKILL");
    await exited(a);
    await eventually("manager-b to take over", () => leads(b), leaseDurationMs * 3);
    const tookOverAt = Date.parse(String(b.lines.find((l) => l.msg === "became leader")!.time ?? "")) || Date.now();
    const takeoverMs = tookOverAt - killedAt;
    t.diagnostic(`takeover ${takeoverMs} ms after SIGKILL (lease duration ${leaseDurationMs} ms)`);
    assert.ok(takeoverMs <= leaseDurationMs + 1_000, `took over in ${takeoverMs} ms, lease ${leaseDurationMs} ms`);

    for (let i = 0; i < 5; i++) await api.mergePatch(widgetRef, ns, `w${i}`, { spec: { value: "two" } });
    await eventually("all widgets reconciled by manager-b", async () => {
      const { items } = await api.list<Widget>(widgetRef, ns);
      return items.every((w) => w.status?.reconciledBy === "manager-b" && w.status.value === "two");
    });
  });
});
