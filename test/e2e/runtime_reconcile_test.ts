/**
 * The reconciler contract on a real API server, through the test Widget kind: Ready with
 * observedGeneration, requestedAt, suspend, finalizers, exponential backoff, and a spec change
 * arriving while a reconcile runs.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { annotations } from "../../src/api/meta.ts";
import { isNotFound } from "../../src/runtime/kube/api_error.ts";
import { findCondition } from "../../src/runtime/status/conditions.ts";
import {
  widgetTestApi,
  createTestNamespace,
  deleteTestNamespace,
  eventually,
  startWidgetManager,
  type Widget,
  type WidgetManager,
  type WidgetReconcilerOptions,
  widget,
  widgetFinalizer,
  widgetRef,
} from "../support/test_crd.ts";

const { connection, api } = widgetTestApi();

/** A namespace and a widget manager watching it, for one test. */
async function setup(t: { after(fn: () => Promise<void>): void }, reconciler?: WidgetReconcilerOptions): Promise<{ ns: string; wm: WidgetManager }> {
  const ns = await createTestNamespace(api, "rt-reconcile");
  const wm = await startWidgetManager(connection, ns, { reconciler });
  t.after(async () => {
    await wm.stop();
    await deleteTestNamespace(api, ns);
  });
  return { ns, wm };
}

const get = (ns: string, name: string) => api.get<Widget>(widgetRef, ns, name);
const patchSpec = (ns: string, name: string, spec: Record<string, unknown>) => api.mergePatch<Widget>(widgetRef, ns, name, { spec });
const ready = (w: Widget) => findCondition(w as never, "Ready");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("runtime: the reconciler contract", () => {

  it("sets Ready=True with observedGeneration on the status and the condition", async (t) => {
    const { ns } = await setup(t);
    await api.create(widgetRef, widget(ns, "w1", { value: "a" }));
    const first = await eventually("w1 Ready for generation 1", async () => {
      const w = await get(ns, "w1");
      return ready(w)?.status === "True" && w.status?.observedGeneration === 1 ? w : undefined;
    });
    assert.equal(first.status?.value, "a");
    assert.equal(ready(first)?.observedGeneration, 1);
    assert.equal(ready(first)?.reason, "Succeeded");

    await patchSpec(ns, "w1", { value: "b" });
    const second = await eventually("w1 Ready for generation 2", async () => {
      const w = await get(ns, "w1");
      return w.status?.observedGeneration === 2 ? w : undefined;
    });
    assert.equal(second.metadata.generation, 2);
    assert.equal(second.status?.value, "b");
    assert.equal(ready(second)?.status, "True");
    assert.equal(ready(second)?.observedGeneration, 2);
  });

  it("answers reconcile.fluxcd.io/requestedAt in status.lastHandledReconcileAt", async (t) => {
    const { ns, wm } = await setup(t);
    await api.create(widgetRef, widget(ns, "w1"));
    await eventually("w1 Ready", async () => ready(await get(ns, "w1"))?.status === "True");
    await sleep(300);
    const before = wm.calls.filter((c) => c.key === `${ns}/w1`).length;

    const token = new Date().toISOString();
    await api.mergePatch(widgetRef, ns, "w1", { metadata: { annotations: { [annotations.requestedAt]: token } } });
    const w = await eventually("lastHandledReconcileAt", async () => {
      const w = await get(ns, "w1");
      return w.status?.lastHandledReconcileAt === token ? w : undefined;
    });
    assert.equal(w.status?.observedGeneration, 1, "a request is not a new generation");
    assert.equal(wm.calls.filter((c) => c.key === `${ns}/w1`).length, before + 1, "one reconcile per request");
  });

  it("does not reconcile a suspended object until it is resumed", async (t) => {
    const { ns, wm } = await setup(t);
    await api.create(widgetRef, widget(ns, "w1", { value: "a" }));
    await eventually("w1 Ready", async () => (await get(ns, "w1")).status?.value === "a");

    await patchSpec(ns, "w1", { suspend: true });
    await sleep(500);
    const count = () => wm.calls.filter((c) => c.key === `${ns}/w1`).length;
    const before = count();
    await patchSpec(ns, "w1", { value: "b" });
    await api.mergePatch(widgetRef, ns, "w1", { metadata: { annotations: { [annotations.requestedAt]: "while-suspended" } } });
    await sleep(1_500);
    assert.equal(count(), before, "no reconcile while suspended");
    const suspended = await get(ns, "w1");
    assert.equal(suspended.status?.value, "a");
    assert.notEqual(suspended.status?.lastHandledReconcileAt, "while-suspended");

    await patchSpec(ns, "w1", { suspend: false });
    const resumed = await eventually("w1 reconciled after resume", async () => {
      const w = await get(ns, "w1");
      return w.status?.value === "b" ? w : undefined;
    });
    assert.equal(resumed.status?.observedGeneration, resumed.metadata.generation);
    assert.equal(resumed.status?.lastHandledReconcileAt, "while-suspended");
  });

  it("holds a deletion with its finalizer until finalize has run", async (t) => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { ns, wm } = await setup(t, { finalizeGate: () => gate });
    await api.create(widgetRef, widget(ns, "w1"));
    const live = await eventually("w1 Ready", async () => {
      const w = await get(ns, "w1");
      return ready(w)?.status === "True" ? w : undefined;
    });
    assert.deepEqual(live.metadata.finalizers, [widgetFinalizer]);

    await api.delete(widgetRef, ns, "w1");
    await eventually("finalize to start", () => wm.calls.some((c) => c.op === "finalize"));
    await sleep(500);
    const held = await get(ns, "w1");
    assert.ok(held.metadata.deletionTimestamp, "deletion is pending");
    assert.deepEqual(held.metadata.finalizers, [widgetFinalizer], "the finalizer holds it while cleanup runs");

    release();
    await eventually("w1 gone", async () => {
      try {
        await get(ns, "w1");
        return false;
      } catch (err) {
        return isNotFound(err);
      }
    });
    const finalizes = wm.calls.filter((c) => c.op === "finalize");
    assert.equal(finalizes.length, 1);
    assert.ok(finalizes[0].endedAt, "cleanup finished");
  });

  it("keeps holding the deletion and says why when finalize fails, then retries", async (t) => {
    let attempts = 0;
    const { ns } = await setup(t, {
      finalizeGate: async () => {
        if (++attempts < 3) throw new Error("the external thing is unreachable");
      },
    });
    await api.create(widgetRef, widget(ns, "w1"));
    await eventually("w1 Ready", async () => ready(await get(ns, "w1"))?.status === "True");
    await api.delete(widgetRef, ns, "w1");
    const failing = await eventually("Ready=False from the failed cleanup", async () => {
      const w = await get(ns, "w1");
      return ready(w)?.status === "False" ? w : undefined;
    });
    assert.equal(ready(failing)?.reason, "FinalizationFailed");
    assert.match(ready(failing)?.message ?? "", /finalization failed: the external thing is unreachable/);
    assert.deepEqual(failing.metadata.finalizers, [widgetFinalizer]);
    await eventually("w1 gone once cleanup succeeds", async () => {
      try {
        await get(ns, "w1");
        return false;
      } catch (err) {
        return isNotFound(err);
      }
    });
    assert.equal(attempts, 3);
  });

  it("backs off exponentially while a reconcile fails, and recovers when fixed", async (t) => {
    const { ns, wm } = await setup(t);
    await api.create(widgetRef, widget(ns, "w1", { fail: "the widget is broken" }));
    const calls = () => wm.calls.filter((c) => c.key === `${ns}/w1`);
    await eventually("six attempts", () => calls().length >= 6, 30_000);
    const at = calls().slice(0, 6).map((c) => c.at);
    const gaps = at.slice(1).map((t, i) => t - at[i]);
    t.diagnostic(`gaps between attempts: ${gaps.join(", ")} ms`);
    for (let i = 1; i < gaps.length; i++) {
      assert.ok(gaps[i] >= gaps[i - 1] * 1.5, `gap ${i} (${gaps[i]} ms) grows from gap ${i - 1} (${gaps[i - 1]} ms)`);
    }
    assert.ok(gaps[0] >= 150, `the first retry waits the base delay (${gaps[0]} ms)`);

    const failed = await get(ns, "w1");
    const cond = ready(failed);
    assert.equal(cond?.status, "False");
    assert.equal(cond?.reason, "WidgetFailed");
    assert.match(cond?.message ?? "", new RegExp(`Widget ${ns}/w1: spec.fail is set: the widget is broken`));
    assert.equal(failed.status?.observedGeneration, 1);

    await patchSpec(ns, "w1", { fail: null });
    await eventually("w1 Ready after the fix", async () => ready(await get(ns, "w1"))?.status === "True");
  });

  it("does not retry a stalled failure", async (t) => {
    const { ns, wm } = await setup(t);
    await api.create(widgetRef, widget(ns, "w1", { fail: "needs a spec change", stall: true }));
    const w = await eventually("w1 Stalled", async () => {
      const w = await get(ns, "w1");
      return findCondition(w as never, "Stalled")?.status === "True" ? w : undefined;
    });
    assert.equal(ready(w)?.status, "False");
    assert.equal(ready(w)?.reason, "WidgetFailed");
    await sleep(1_500);
    assert.equal(wm.calls.filter((c) => c.key === `${ns}/w1`).length, 1, "one attempt only");
  });

  it("reconciles again after a spec change that arrives during a reconcile", async (t) => {
    const { ns, wm } = await setup(t);
    await api.create(widgetRef, widget(ns, "w1", { value: "x", delayMs: 1_500 }));
    await eventually("the first reconcile to start", () => wm.calls.some((c) => c.key === `${ns}/w1`));
    const first = wm.calls.find((c) => c.key === `${ns}/w1`)!;
    await patchSpec(ns, "w1", { value: "y" });
    assert.equal(first.endedAt, undefined, "the change arrived while the first reconcile ran");

    const done = await eventually("w1 reconciled with y", async () => {
      const w = await get(ns, "w1");
      return w.status?.value === "y" && w.status.observedGeneration === 2 ? w : undefined;
    });
    assert.equal(ready(done)?.status, "True");
    const calls = wm.calls.filter((c) => c.key === `${ns}/w1`);
    assert.equal(calls[0].generation, 1);
    const second = calls.find((c) => c.generation === 2);
    assert.ok(second, "a reconcile saw generation 2");
    assert.ok(second.at >= first.endedAt!, "one reconcile per key at a time");
  });
});
