import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/meta.ts";
import { needsReconcile, withoutAddedFinalizer } from "./triggers.ts";

const obj = (metadata: KubeObject["metadata"], status?: unknown): KubeObject => ({
  apiVersion: "test.sluice.dev/v1",
  kind: "Widget",
  metadata: { name: "w", namespace: "ns", generation: 1, ...metadata },
  ...(status ? { status } : {}),
});
const fin = "test.sluice.dev/cleanup";

test("status writes and resourceVersion bumps need no reconcile", () => {
  assert.equal(needsReconcile(obj({ resourceVersion: "1" }), obj({ resourceVersion: "2" }, { ready: true })), false);
});

test("a new generation, a request, a deletion, labels and finalizers do", () => {
  const base = obj({});
  assert.ok(needsReconcile(base, obj({ generation: 2 })));
  assert.ok(needsReconcile(base, obj({ annotations: { "reconcile.fluxcd.io/requestedAt": "now" } })));
  assert.ok(needsReconcile(base, obj({ deletionTimestamp: "2026-01-01T00:00:00Z" })));
  assert.ok(needsReconcile(base, obj({ labels: { a: "b" } })));
  assert.ok(needsReconcile(base, obj({ finalizers: ["other"] })));
});

test("adding our own finalizer is no reason to reconcile; removing it or adding another is", () => {
  const before = obj({});
  const added = obj({ finalizers: [fin] });
  assert.equal(needsReconcile(before, withoutAddedFinalizer(before, added, fin)), false);
  assert.equal(needsReconcile(added, withoutAddedFinalizer(added, before, fin)), true, "removed by someone else");
  const both = obj({ finalizers: ["other", fin] });
  assert.equal(needsReconcile(before, withoutAddedFinalizer(before, both, fin)), true, "another finalizer came too");
  assert.equal(needsReconcile(before, withoutAddedFinalizer(before, obj({ finalizers: [fin], generation: 2 }), fin)), true);
  assert.equal(withoutAddedFinalizer(before, added, undefined), added);
});
