import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/meta.ts";
import type { WatchEvent } from "../kube/client.ts";
import type { ObjectApi } from "../kube/objects.ts";
import type { ResourceRef } from "../kube/resource_ref.ts";
import { Informer, type InformerEvent } from "./informer.ts";

const ref: ResourceRef = { group: "test.sluice.dev", version: "v1", resource: "widgets", kind: "Widget", namespaced: true };
const w = (name: string, rv: string, value = ""): KubeObject => ({
  apiVersion: "test.sluice.dev/v1",
  kind: "Widget",
  metadata: { name, namespace: "ns", resourceVersion: rv },
  spec: { value },
});

type Step = WatchEvent<KubeObject> | Error | "end";

/** A fake API server: a list of objects, and a script of watch streams (one per watch call). */
function fakeApi(items: KubeObject[], listRv: string, watches: Step[][]) {
  const calls: Array<{ op: "list" } | { op: "watch"; resourceVersion: unknown }> = [];
  const state = { items, listRv };
  const api = {
    listAll: async () => {
      calls.push({ op: "list" });
      return { metadata: { resourceVersion: state.listRv }, items: state.items.map((o) => structuredClone(o)) };
    },
    client: {
      async *watch(_path: string, query: Record<string, unknown>) {
        calls.push({ op: "watch", resourceVersion: query.resourceVersion });
        const script = watches.shift();
        if (!script) return await new Promise<never>(() => {}); // the last watch stays open
        for (const step of script) {
          if (step === "end") return;
          if (step instanceof Error) throw step;
          yield structuredClone(step);
        }
      },
    },
  };
  return { api: api as unknown as ObjectApi, calls, state };
}

function record(inf: Informer): string[] {
  const seen: string[] = [];
  inf.on((ev: InformerEvent<KubeObject>) => seen.push(`${ev.type} ${ev.object.metadata.name} ${(ev.object.spec as { value: string }).value}`));
  return seen;
}

async function until(probe: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

test("lists, then applies watch events in order", async () => {
  const { api, calls } = fakeApi([w("a", "1", "a1"), w("b", "2", "b1")], "2", [
    [{ type: "MODIFIED", object: w("a", "3", "a2") }, { type: "ADDED", object: w("c", "4", "c1") }, { type: "DELETED", object: w("b", "5", "b1") }],
  ]);
  const inf = new Informer(api, { ref, namespace: "ns" });
  const seen = record(inf);
  inf.start();
  await inf.synced;
  await until(() => seen.length === 5);
  inf.stop();
  assert.deepEqual(seen, ["add a a1", "add b b1", "update a a2", "add c c1", "delete b b1"]);
  assert.deepEqual(calls[1], { op: "watch", resourceVersion: "2" });
  assert.deepEqual(inf.list().map((o) => o.metadata.name).sort(), ["a", "c"]);
});

test("after a broken watch, relists and emits what changed meanwhile, nothing else", async () => {
  const { api, calls, state } = fakeApi([w("a", "1", "a1"), w("b", "2", "b1"), w("c", "3", "c1")], "3", [
    [{ type: "MODIFIED", object: w("a", "4", "a2") }, new Error("connection reset")],
  ]);
  const inf = new Informer(api, { ref, namespace: "ns", onError: () => {} });
  const seen = record(inf);
  inf.start();
  await until(() => seen.length === 4);
  // While the watch is down: b changes, c is deleted, d is created, a stays.
  state.items = [w("a", "4", "a2"), w("b", "7", "b2"), w("d", "8", "d1")];
  state.listRv = "9";
  await until(() => seen.length === 7);
  inf.stop();
  assert.deepEqual(seen.slice(4).sort(), ["add d d1", "delete c c1", "update b b2"]);
  assert.deepEqual(calls.map((c) => c.op), ["list", "watch", "list", "watch"]);
  assert.deepEqual(calls[3], { op: "watch", resourceVersion: "9" });
});

test("410 Gone relists; a watch closed by the server resumes from the last bookmark without a list", async () => {
  const gone = { type: "ERROR", object: { kind: "Status", code: 410, reason: "Expired", message: "too old resource version" } } as unknown as WatchEvent<KubeObject>;
  const bookmark = { type: "BOOKMARK", object: { apiVersion: "test.sluice.dev/v1", kind: "Widget", metadata: { resourceVersion: "20" } } } as WatchEvent<KubeObject>;
  const { api, calls } = fakeApi([w("a", "1", "a1")], "5", [[bookmark, "end"], [gone]]);
  const errors: unknown[] = [];
  const inf = new Informer(api, { ref, namespace: "ns", onError: (e) => errors.push(e) });
  inf.start();
  await until(() => calls.length === 5);
  inf.stop();
  assert.deepEqual(calls, [
    { op: "list" },
    { op: "watch", resourceVersion: "5" },
    { op: "watch", resourceVersion: "20" },
    { op: "list" },
    { op: "watch", resourceVersion: "5" },
  ]);
  assert.equal((errors[0] as { code: number }).code, 410);
});

test("a watch closed at once, empty, is retried after a pause and without a list", async () => {
  const { api, calls } = fakeApi([w("a", "1", "a1")], "5", [["end"], ["end"], ["end"]]);
  const inf = new Informer(api, { ref, namespace: "ns" });
  const started = performance.now();
  inf.start();
  await until(() => calls.length === 5);
  inf.stop();
  assert.deepEqual(calls.map((c) => c.op), ["list", "watch", "watch", "watch", "watch"]);
  assert.ok(performance.now() - started >= 200 + 400 + 800 - 50, "backs off between empty watches");
});

test("a transform shrinks what is cached and what handlers see, on list, watch and delete", async () => {
  const { api } = fakeApi([w("a", "1", "a1")], "1", [
    [{ type: "MODIFIED", object: w("a", "2", "a2") }, { type: "DELETED", object: w("a", "3", "a2") }],
  ]);
  const short = (o: KubeObject): KubeObject => ({ ...o, spec: { value: (o.spec as { value: string }).value.toUpperCase() } });
  const inf = new Informer(api, { ref, namespace: "ns", transform: short });
  const seen = record(inf);
  inf.start();
  await until(() => seen.length === 3);
  inf.stop();
  assert.deepEqual(seen, ["add a A1", "update a A2", "delete a A2"]);
});
