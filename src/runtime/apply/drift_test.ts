import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/meta.ts";
import { hasDrift } from "./drift.ts";
import { parseJsonPointer } from "./json_pointer.ts";

const live = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", resourceVersion: "5", labels: { app: "web" }, annotations: { "example.com/note": "x" } },
  spec: { replicas: 3, template: { spec: { containers: [{ name: "app", image: "nginx:1.27" }] } } },
  status: { replicas: 3 },
} as unknown as KubeObject;

function dryRun(change: (o: { metadata: KubeObject["metadata"]; spec: { replicas: number; template: { spec: { containers: Array<{ image: string }> } } } }) => void): KubeObject {
  const o = structuredClone(live) as unknown as Parameters<typeof change>[0] & KubeObject;
  o.metadata.resourceVersion = "6";
  (o as { status?: unknown }).status = { replicas: 1 };
  change(o);
  return o;
}

const p = (...ps: string[]) => ps.map(parseJsonPointer);

test("hasDrift: spec, labels and annotations count; status and other metadata do not", () => {
  assert.equal(hasDrift(dryRun(() => undefined), live), false);
  assert.equal(hasDrift(dryRun((o) => (o.spec.replicas = 1)), live), true);
  assert.equal(hasDrift(dryRun((o) => (o.metadata.labels = { app: "api" })), live), true);
  assert.equal(hasDrift(dryRun((o) => (o.metadata.annotations = {})), live), true);
});

test("hasDrift: ignored fields are left out on both sides", () => {
  assert.equal(hasDrift(dryRun((o) => (o.spec.replicas = 1)), live, p("/spec/replicas")), false);
  assert.equal(hasDrift(dryRun((o) => { o.spec.replicas = 1; o.spec.template.spec.containers[0].image = "nginx:1.28"; }), live, p("/spec/replicas")), true);
  assert.equal(hasDrift(dryRun((o) => (o.metadata.annotations = {})), live, p("/metadata/annotations/example.com~1note")), false);
  assert.equal(hasDrift(dryRun((o) => (o.spec.template.spec.containers[0].image = "x")), live, p("/spec/template/spec/containers/0/image")), false);
  assert.equal(hasDrift(dryRun((o) => (o.spec.replicas = 1)), live, p("")), false, "the root: nothing counts");
  assert.equal(live.metadata.annotations?.["example.com/note"], "x", "the inputs are left alone");
});
