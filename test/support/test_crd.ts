/**
 * A test kind for the runtime's own tests and benchmark: widgets.test.sluice.dev/v1 with the fields
 * a Flux kind has (suspend, interval, a status subresource with conditions), plus knobs to make a
 * reconcile fail or take time, and a tiny Reconciler that records every call.
 */
import { Writable } from "node:stream";
import { after, before } from "node:test";
import { parseDuration } from "../../src/api/duration.ts";
import { toCrd } from "../../src/api/crd.ts";
import { type KindDefinition, readyColumns } from "../../src/api/kind.ts";
import { type Condition, Interval, type KubeObject, ReconcileStatusFields } from "../../src/api/meta.ts";
import { Type } from "../../src/api/schema.ts";
import type { Controller } from "../../src/runtime/controller/controller.ts";
import { ReconcileError, type Reconciler } from "../../src/runtime/controller/reconciler.ts";
import { isNotFound } from "../../src/runtime/kube/api_error.ts";
import { type ClusterConnection, fromKubeconfigFile } from "../../src/runtime/kube/kubeconfig.ts";
import { KubeClient } from "../../src/runtime/kube/client.ts";
import { ObjectApi } from "../../src/runtime/kube/objects.ts";
import type { ResourceRef } from "../../src/runtime/kube/resource_ref.ts";
import { Manager, type ManagerOptions } from "../../src/runtime/manager.ts";
import { createLogger } from "../../src/runtime/ops/logger.ts";
import { markReady } from "../../src/runtime/status/conditions.ts";
import { testKubeconfigPath } from "./test_manager.ts";

export const widgetKind: KindDefinition = {
  group: "test.sluice.dev",
  version: "v1",
  kind: "Widget",
  plural: "widgets",
  singular: "widget",
  description: "A do-nothing kind for testing the controller runtime.",
  spec: Type.Object({
    suspend: Type.Optional(Type.Boolean({ description: "Stop reconciling this object." })),
    interval: Type.Optional(Interval("Reconcile again after this long.")),
    fail: Type.Optional(Type.String({ description: "When set, every reconcile fails with this message." })),
    stall: Type.Optional(Type.Boolean({ description: "With fail: fail as Stalled (no retries)." })),
    delayMs: Type.Optional(Type.Integer({ minimum: 0, description: "How long a reconcile takes." })),
    value: Type.Optional(Type.String({ description: "Copied to status.value by a successful reconcile." })),
  }),
  status: Type.Object({
    ...ReconcileStatusFields,
    value: Type.Optional(Type.String()),
    reconciledBy: Type.Optional(Type.String({ description: "Identity of the manager that reconciled last." })),
  }),
  printerColumns: readyColumns,
};

export const widgetRef: ResourceRef = {
  group: widgetKind.group,
  version: widgetKind.version,
  resource: widgetKind.plural,
  kind: widgetKind.kind,
  namespaced: true,
};

export const widgetApiVersion = `${widgetKind.group}/${widgetKind.version}`;
export const widgetFinalizer = "test.sluice.dev/cleanup";

export interface WidgetSpec {
  suspend?: boolean;
  interval?: string;
  fail?: string;
  stall?: boolean;
  delayMs?: number;
  value?: string;
}

export interface Widget extends KubeObject {
  spec: WidgetSpec;
  status?: {
    conditions?: Condition[];
    observedGeneration?: number;
    lastHandledReconcileAt?: string;
    value?: string;
    reconciledBy?: string;
  };
}

export function widget(namespace: string, name: string, spec: WidgetSpec = {}, labels?: Record<string, string>): Widget {
  return { apiVersion: widgetApiVersion, kind: widgetKind.kind, metadata: { name, namespace, ...(labels ? { labels } : {}) }, spec };
}

/** Applies the Widget CRD (server-side) and waits until the API server serves it. */
export async function applyWidgetCrd(api: ObjectApi, timeoutMs = 30_000): Promise<void> {
  const crd = toCrd(widgetKind) as unknown as KubeObject;
  await api.apply(crd, { fieldManager: "sluice-test", force: true });
  const crdRef: ResourceRef = { group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions", kind: "CustomResourceDefinition", namespaced: false };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const live = await api.get<{ status?: { conditions?: Array<{ type: string; status: string }> } }>(crdRef, undefined, crd.metadata.name!);
    if (live.status?.conditions?.some((c) => c.type === "Established" && c.status === "True")) break;
    if (Date.now() > deadline) throw new Error(`CRD ${crd.metadata.name} not Established after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // Established can come a moment before the resource answers; wait for a list to succeed.
  for (;;) {
    try {
      await api.list(widgetRef, "default", { limit: 1 });
      return;
    } catch (err) {
      if (!isNotFound(err) || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** One call of the test reconciler. */
export interface WidgetCall {
  op: "reconcile" | "finalize";
  key: string;
  generation?: number;
  value?: string;
  at: number;
  endedAt?: number;
}

export interface WidgetReconcilerOptions {
  /** Written to status.reconciledBy, e.g. a manager's identity. */
  identity?: string;
  /** Resolves when finalize may finish: lets a test hold a deletion. */
  finalizeGate?: (key: string) => Promise<void>;
  /** Called for every call as it starts (e.g. to log it). */
  onCall?: (call: WidgetCall) => void;
  finalizer?: boolean;
  /** Record a Normal event with the value as revision on each success. */
  events?: boolean;
}

/** The test reconciler and the journal of its calls, in order. */
export function widgetReconciler(opts: WidgetReconcilerOptions = {}): { reconciler: Reconciler<Widget>; calls: WidgetCall[] } {
  const calls: WidgetCall[] = [];
  const record = (call: WidgetCall) => {
    calls.push(call);
    opts.onCall?.(call);
    return call;
  };
  const reconciler: Reconciler<Widget> = {
    name: "widget",
    kind: widgetKind,
    finalizer: opts.finalizer === false ? undefined : widgetFinalizer,
    async reconcile(obj, ctx) {
      const key = `${obj.metadata.namespace}/${obj.metadata.name}`;
      const call = record({ op: "reconcile", key, generation: obj.metadata.generation, value: obj.spec.value, at: Date.now() });
      try {
        if (obj.spec.delayMs) await new Promise((r) => setTimeout(r, obj.spec.delayMs));
        if (obj.spec.fail) {
          throw new ReconcileError("WidgetFailed", `Widget ${key}: spec.fail is set: ${obj.spec.fail}`, { stalled: obj.spec.stall });
        }
        obj.status ??= {};
        obj.status.value = obj.spec.value;
        if (opts.identity) obj.status.reconciledBy = opts.identity;
        markReady(obj, "Succeeded", `Widget reconciled with value ${JSON.stringify(obj.spec.value ?? "")}`);
        ctx.log.debug("widget reconciled");
        if (opts.events) await ctx.event("Normal", "Succeeded", `Widget reconciled with value ${obj.spec.value ?? ""}`, { revision: obj.spec.value ?? "" });
        return obj.spec.interval ? { requeueAfterMs: parseDuration(obj.spec.interval) } : undefined;
      } finally {
        call.endedAt = Date.now();
      }
    },
    async finalize(obj) {
      const key = `${obj.metadata.namespace}/${obj.metadata.name}`;
      const call = record({ op: "finalize", key, generation: obj.metadata.generation, at: Date.now() });
      await opts.finalizeGate?.(key);
      call.endedAt = Date.now();
    },
  };
  return { reconciler, calls };
}

const namespaceRef: ResourceRef = { group: "", version: "v1", resource: "namespaces", kind: "Namespace", namespaced: false };

/** Creates a namespace with a random suffix for one test; delete it with deleteNamespace. */
export async function createTestNamespace(api: ObjectApi, prefix: string): Promise<string> {
  const name = `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
  await api.create(namespaceRef, { apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { "sluice.dev/test": "runtime" } } });
  return name;
}

/** Deletes a test namespace, first stripping the test finalizer from widgets left in it. */
export async function deleteTestNamespace(api: ObjectApi, name: string): Promise<void> {
  const left = await api.list<Widget>(widgetRef, name).catch(() => ({ items: [] as Widget[] }));
  for (const w of left.items) {
    if (w.metadata.finalizers?.length) {
      await api.mergePatch(widgetRef, name, w.metadata.name!, { metadata: { finalizers: null } }).catch(() => undefined);
    }
  }
  await api.delete(namespaceRef, undefined, name);
}

export interface WidgetManager {
  manager: Manager;
  controller: Controller<Widget>;
  calls: WidgetCall[];
  logs: Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

/**
 * A manager running only the widget controller, scoped to one namespace, with short backoffs.
 * Its JSON log lines are kept in `logs`.
 */
export async function startWidgetManager(
  connection: ClusterConnection,
  namespace: string,
  opts: { reconciler?: WidgetReconcilerOptions; manager?: Partial<ManagerOptions> } = {},
): Promise<WidgetManager> {
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split("\n")) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const manager = new Manager({
    connection,
    name: "sluice-test",
    namespace,
    concurrent: 4,
    qps: 0,
    log: createLogger("debug", sink),
    backoff: { baseMs: 200, maxMs: 5_000 },
    shutdownTimeoutMs: 5_000,
    ...opts.manager,
  });
  const { reconciler, calls } = widgetReconciler(opts.reconciler);
  const controller = manager.add(reconciler);
  await manager.start(() => undefined);
  return { manager, controller, calls, logs, stop: () => manager.stop() };
}

/** Polls until `probe` returns a value that is not undefined/false, or fails with `what`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The admin connection, client and object API for a runtime test file, with the Widget CRD applied
 * before its tests and the client closed after them (hooks registered at the file's top level).
 */
export function widgetTestApi(): { connection: ClusterConnection; client: KubeClient; api: ObjectApi } {
  const connection = fromKubeconfigFile(testKubeconfigPath());
  const client = new KubeClient(connection, { qps: 0 });
  const api = new ObjectApi(client);
  before(() => applyWidgetCrd(api));
  after(() => client.close());
  return { connection, client, api };
}
