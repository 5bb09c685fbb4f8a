/**
 * Operations: /metrics shows the reconcile histogram and the work-queue metrics after reconciles,
 * /healthz and /readyz answer, and logs are JSON lines with controller, kind, namespace, name and
 * a reconcile id.
 */
import assert from "node:assert/strict";
import { createServer as createHttpServer, type IncomingMessage } from "node:http";
import { describe, it } from "node:test";
import { request } from "undici";
import { freePort } from "../../src/dev/free_ports.ts";
import {
  widgetTestApi,
  createTestNamespace,
  deleteTestNamespace,
  eventually,
  startWidgetManager,
  type Widget,
  widget,
  widgetRef,
} from "../support/test_crd.ts";

const { connection, api } = widgetTestApi();

async function fetchText(url: string): Promise<{ status: number; text: string }> {
  const res = await request(url);
  return { status: res.statusCode, text: await res.body.text() };
}

describe("runtime: metrics, health and logs", () => {

  it("exports reconcile and queue metrics, health endpoints, and JSON logs with the reconcile's fields", async (t) => {
    const ns = await createTestNamespace(api, "rt-ops");
    const [metricsPort, healthPort] = [await freePort(), await freePort()];
    const wm = await startWidgetManager(connection, ns, {
      manager: { metricsAddr: `127.0.0.1:${metricsPort}`, healthAddr: `127.0.0.1:${healthPort}` },
    });
    t.after(async () => {
      await wm.stop();
      await deleteTestNamespace(api, ns);
    });

    await api.create(widgetRef, widget(ns, "good", { value: "v" }));
    await api.create(widgetRef, widget(ns, "bad", { fail: "broken on purpose" }));
    await eventually("good Ready and bad failed", async () => {
      const good = await api.get<Widget>(widgetRef, ns, "good");
      const bad = await api.get<Widget>(widgetRef, ns, "bad");
      return good.status?.conditions?.[0]?.status === "True" && bad.status?.conditions?.[0]?.status === "False";
    });

    const health = await fetchText(`http://127.0.0.1:${healthPort}/healthz`);
    const ready = await fetchText(`http://127.0.0.1:${healthPort}/readyz`);
    assert.equal(health.status, 200);
    assert.equal(ready.status, 200);

    const { status, text } = await fetchText(`http://127.0.0.1:${metricsPort}/metrics`);
    assert.equal(status, 200);
    const labels = `kind="Widget",name="good",namespace="${ns}"`;
    const has = (re: RegExp) => assert.ok(re.test(text), `/metrics has ${re.source}`);
    has(new RegExp(`gotk_reconcile_duration_seconds_bucket\\{le="[^"]+",${labels}\\} \\d+`));
    has(new RegExp(`gotk_reconcile_duration_seconds_count\\{${labels}\\} [1-9]`));
    has(new RegExp(`gotk_reconcile_condition\\{${labels},type="Ready",status="True"\\} 1`));
    has(/workqueue_adds_total\{name="widget"\} [1-9]/);
    has(/workqueue_retries_total\{name="widget"\} [1-9]/);
    has(/workqueue_depth\{name="widget"\} \d+/);
    has(/workqueue_queue_duration_seconds_count\{name="widget"\} [1-9]/);
    has(/controller_runtime_reconcile_total\{controller="widget",result="success"\} [1-9]/);
    has(/controller_runtime_reconcile_total\{controller="widget",result="error"\} [1-9]/);
    has(/rest_client_requests_total\{verb="PATCH",code="200"\} [1-9]/);

    const reconcileLines = wm.logs.filter((l) => l.msg === "reconciled" || l.msg === "reconcile failed");
    assert.ok(reconcileLines.some((l) => l.name === "good" && l.msg === "reconciled"), "a line for the successful reconcile");
    assert.ok(reconcileLines.some((l) => l.name === "bad" && l.msg === "reconcile failed"), "a line for the failed reconcile");
    for (const line of reconcileLines) {
      assert.equal(line.controller, "widget");
      assert.equal(line.kind, "Widget");
      assert.equal(line.namespace, ns);
      assert.match(String(line.name), /^(good|bad)$/);
      assert.match(String(line.reconcileID), /^[0-9a-f-]{36}$/);
      assert.equal(typeof line.level, "string");
      assert.equal(typeof line.time, "string");
    }
    const failed = reconcileLines.find((l) => l.msg === "reconcile failed")!;
    assert.equal(failed.reason, "WidgetFailed");
    assert.match(String(failed.err), /spec.fail is set: broken on purpose/);
    const ids = new Set(reconcileLines.map((l) => l.reconcileID));
    assert.equal(ids.size, reconcileLines.length, "one id per reconcile");
  });

  it("records Kubernetes Events with Flux's annotations and forwards them to --events-addr", async (t) => {
    const received: Array<Record<string, unknown>> = [];
    const sink = createHttpServer((req: IncomingMessage, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        received.push({ path: req.url, contentType: req.headers["content-type"], ...(JSON.parse(body) as Record<string, unknown>) });
        res.statusCode = 202;
        res.end();
      });
    });
    await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
    const ns = await createTestNamespace(api, "rt-events");
    const wm = await startWidgetManager(connection, ns, {
      reconciler: { events: true },
      manager: { eventsAddr: `http://127.0.0.1:${(sink.address() as { port: number }).port}/` },
    });
    t.after(async () => {
      await wm.stop();
      sink.close();
      await deleteTestNamespace(api, ns);
    });

    await api.create(widgetRef, widget(ns, "good", { value: "rev-1" }));
    await api.create(widgetRef, widget(ns, "bad", { fail: "broken on purpose" }));
    await eventually("both events forwarded", () => received.length >= 2 && received.some((e) => e.reason === "WidgetFailed"));

    const good = received.find((e) => e.reason === "Succeeded")!;
    assert.deepEqual(good.involvedObject, {
      kind: "Widget",
      namespace: ns,
      name: "good",
      uid: (await api.get<Widget>(widgetRef, ns, "good")).metadata.uid,
      apiVersion: "test.sluice.dev/v1",
      resourceVersion: (good.involvedObject as { resourceVersion: string }).resourceVersion,
    });
    assert.equal(good.severity, "info");
    assert.deepEqual(good.metadata, { "test.sluice.dev/revision": "rev-1" });
    assert.equal(good.contentType, "application/json");
    assert.equal(good.reportingController, "sluice-test");
    const bad = received.find((e) => e.reason === "WidgetFailed")!;
    assert.equal(bad.severity, "error");
    assert.match(String(bad.message), new RegExp(`Widget ${ns}/bad: spec.fail is set: broken on purpose`));

    const events = await api.list<{ reason: string; type: string; involvedObject: { name: string }; metadata: { annotations?: Record<string, string> } }>(
      { group: "", version: "v1", resource: "events", kind: "Event", namespaced: true },
      ns,
    );
    const warning = events.items.find((e) => e.reason === "WidgetFailed");
    assert.equal(warning?.type, "Warning");
    assert.equal(warning?.involvedObject.name, "bad");
    const normal = events.items.find((e) => e.reason === "Succeeded");
    assert.equal(normal?.metadata.annotations?.["test.sluice.dev/revision"], "rev-1");
    await eventually("two retries of bad", () => wm.calls.filter((c) => c.key === `${ns}/bad`).length >= 3);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(received.filter((e) => e.reason === "WidgetFailed").length, 1, "the same failure again is not forwarded again");
  });

  it("finishes a reconcile in flight on shutdown before it stops", async (t) => {
    const ns = await createTestNamespace(api, "rt-shutdown");
    const wm = await startWidgetManager(connection, ns);
    t.after(() => deleteTestNamespace(api, ns));
    await api.create(widgetRef, widget(ns, "slow", { value: "done", delayMs: 1_500 }));
    await eventually("the reconcile to start", () => wm.calls.some((c) => c.key === `${ns}/slow`));
    const stopping = performance.now();
    await wm.stop();
    const waited = performance.now() - stopping;
    const w = await api.get<Widget>(widgetRef, ns, "slow");
    assert.equal(w.status?.value, "done", "the reconcile in flight wrote its status");
    assert.equal(w.status?.conditions?.[0]?.status, "True");
    assert.ok(waited >= 1_000, `stop waited for it (${waited.toFixed(0)} ms)`);
    assert.ok(wm.logs.some((l) => l.msg === "manager stopped"));
  });
});
