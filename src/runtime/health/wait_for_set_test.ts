import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/meta.ts";
import type { Informer, InformerHandler } from "../cache/informer.ts";
import { HealthCheckError, waitForSet } from "./wait_for_set.ts";

/** Just enough of an Informer: a map of objects and the handlers to tell. */
function fakeInformer(): { informer: Informer<KubeObject>; put(obj: KubeObject): void } {
  const store = new Map<string, KubeObject>();
  const handlers = new Set<InformerHandler<KubeObject>>();
  const informer = {
    ref: { group: "", version: "v1", resource: "gizmos", kind: "Gizmo", namespaced: true },
    get: (ns: string | undefined, name: string) => store.get(`${ns}/${name}`),
    on: (h: InformerHandler<KubeObject>) => {
      handlers.add(h);
      return () => handlers.delete(h);
    },
  } as unknown as Informer<KubeObject>;
  const put = (obj: KubeObject) => {
    store.set(`${obj.metadata.namespace}/${obj.metadata.name}`, obj);
    for (const h of handlers) h({ type: "update", object: obj });
  };
  return { informer, put };
}

const gizmo = (name: string, rv: string, ready: "True" | "False", reason = "Done"): KubeObject =>
  ({
    apiVersion: "v1",
    kind: "Gizmo",
    metadata: { name, namespace: "ns", resourceVersion: rv, generation: 1 },
    status: { observedGeneration: 1, conditions: [{ type: "Ready", status: ready, reason, message: reason }] },
  }) as KubeObject;

test("waitForSet: the version before our write does not count, however healthy it looks", async () => {
  const { informer, put } = fakeInformer();
  put(gizmo("a", "9", "True"));
  let done = false;
  const wait = waitForSet([{ subject: "Gizmo/ns/a", namespace: "ns", name: "a", informer, atLeast: "10" }], { timeoutMs: 2_000 }).then(() => (done = true));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(done, false, "still waiting for version 10");
  put(gizmo("a", "12", "True"));
  await wait;
});

test("waitForSet: fails fast only once every target shows our write, and names only the failing", async () => {
  const { informer, put } = fakeInformer();
  put({ ...gizmo("broken", "5", "False"), status: { observedGeneration: 1, conditions: [{ type: "Stalled", status: "True", reason: "Full", message: "volume is full" }] } } as KubeObject);
  const wait = waitForSet(
    [
      { subject: "Gizmo/ns/broken", namespace: "ns", name: "broken", informer, atLeast: "5" },
      { subject: "Gizmo/ns/fine", namespace: "ns", name: "fine", informer, atLeast: "6" },
    ],
    { timeoutMs: 2_000 },
  );
  await new Promise((r) => setTimeout(r, 20));
  put(gizmo("fine", "6", "True"));
  await assert.rejects(wait, (err: unknown) => {
    assert.ok(err instanceof HealthCheckError);
    assert.deepEqual(err.failing.map((f) => f.subject), ["Gizmo/ns/broken"]);
    return true;
  });
});
