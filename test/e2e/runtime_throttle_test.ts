/**
 * The API server answering 429: a proxy in front of it refuses the first list, the first watch and
 * every fourth request with Retry-After: 1. The client waits that long before sending anything else, and every reconcile
 * still succeeds.
 */
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { request as httpsRequest } from "node:https";
import { describe, it } from "node:test";
import type { ClusterConnection } from "../../src/runtime/kube/kubeconfig.ts";
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

const { connection: upstream, api } = widgetTestApi();

interface Seen {
  at: number;
  method: string;
  path: string;
  status: number;
  kind?: "watch" | "get" | "write";
}

/** A plain-HTTP proxy that authenticates to the API server as the kubeconfig's user. */
async function startThrottlingProxy(conn: ClusterConnection, every: number): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  let count = 0;
  const target = new URL(conn.server);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const at = Date.now();
    const entry: Seen = { at, method: req.method ?? "GET", path: req.url ?? "/", status: 0 };
    seen.push(entry);
    // The first list and the first watch are refused too, so that both paths are tried.
    const kind = req.url?.includes("watch=true") ? "watch" : req.method === "GET" ? "get" : "write";
    const first = kind !== "write" && !seen.slice(0, -1).some((s) => s.kind === kind);
    entry.kind = kind;
    if (++count % every === 0 || first) {
      entry.status = 429;
      req.resume();
      res.writeHead(429, { "content-type": "application/json", "retry-after": "1" });
      res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "TooManyRequests", code: 429, message: "too many requests, please try again later" }));
      return;
    }
    const headers = { ...req.headers, host: target.host };
    const up = httpsRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, ca: conn.ca, cert: conn.cert, key: conn.key },
      (upRes) => {
        entry.status = upRes.statusCode ?? 0;
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on("error", () => res.destroy());
    res.on("close", () => up.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${port}`, seen };
}

describe("runtime: throttled by the API server", () => {

  it("waits out 429s with Retry-After and still reconciles everything", async (t) => {
    const ns = await createTestNamespace(api, "rt-throttle");
    const proxy = await startThrottlingProxy(upstream, 4);
    const viaProxy: ClusterConnection = { server: proxy.url, namespace: ns };
    const wm = await startWidgetManager(viaProxy, ns);
    t.after(async () => {
      await wm.stop();
      proxy.server.closeAllConnections();
      await new Promise((resolve) => proxy.server.close(resolve));
      await deleteTestNamespace(api, ns);
    });

    const names = Array.from({ length: 6 }, (_, i) => `w${i}`);
    for (const n of names) await api.create(widgetRef, widget(ns, n, { value: "one" }));
    await eventually("all widgets Ready", async () => {
      const { items } = await api.list<Widget>(widgetRef, ns);
      return items.length === names.length && items.every((w) => w.status?.value === "one" && w.status.conditions?.[0]?.status === "True");
    }, 60_000);
    for (const n of names) await api.mergePatch(widgetRef, ns, n, { spec: { value: "two" } });
    await eventually("all widgets reconciled again", async () => {
      const { items } = await api.list<Widget>(widgetRef, ns);
      return items.every((w) => w.status?.value === "two" && w.status.observedGeneration === 2);
    }, 60_000);

    const refused = proxy.seen.filter((s) => s.status === 429);
    t.diagnostic(`${proxy.seen.length} requests through the proxy, ${refused.length} answered 429`);
    assert.ok(refused.length >= 4, "the proxy refused some requests");
    assert.ok(refused.some((r) => r.kind === "watch") && refused.some((r) => r.kind === "get"), "a list and a watch were refused");
    for (const r of refused) {
      const early = proxy.seen.filter((s) => s.at > r.at + 100 && s.at < r.at + 900);
      assert.deepEqual(early.map((s) => `${s.method} ${s.path}`), [], `nothing sent within Retry-After of the 429 at ${r.at}`);
    }
    const results = (await wm.manager.metrics.reconcileTotal.get()).values;
    assert.equal(results.find((v) => v.labels.result === "error")?.value ?? 0, 0, "no reconcile failed");
    const errors = wm.logs.filter((l) => l.level === "error" || l.level === "warn");
    assert.deepEqual(errors, [], "no errors or warnings logged");
    const metric429 = (await wm.manager.metrics.apiRequests.get()).values.filter((v) => v.labels.code === "429");
    assert.ok(metric429.reduce((sum, v) => sum + v.value, 0) >= 1, "429s are counted by rest_client_requests_total");
  });
});
