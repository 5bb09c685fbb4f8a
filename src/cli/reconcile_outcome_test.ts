import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../api/meta.ts";
import { reconcileState } from "./reconcile_outcome.ts";

const t0 = "2026-01-01T00:00:00Z";
function obj(status: Record<string, unknown>, generation = 2): KubeObject {
  return { apiVersion: "v", kind: "K", metadata: { name: "a", generation }, status } as KubeObject;
}
const cond = (type: string, status: string, reason = "R", message = "m") => ({ type, status, reason, message, lastTransitionTime: t0 });

test("pending until the controller handled this request's token", () => {
  const s = reconcileState(obj({ lastHandledReconcileAt: "old", observedGeneration: 2, conditions: [cond("Ready", "True")] }), "new");
  assert.equal(s.phase, "pending");
});

test("ready once handled at the current generation with Ready=True", () => {
  const s = reconcileState(obj({ lastHandledReconcileAt: "t", observedGeneration: 2, conditions: [cond("Ready", "True", "Succeeded", "Applied revision: main@sha1:abc")] }), "t");
  assert.deepEqual(s, { phase: "ready", message: "Applied revision: main@sha1:abc" });
});

test("failed with the Ready reason and message, or the Stalled one", () => {
  const failed = reconcileState(obj({ lastHandledReconcileAt: "t", observedGeneration: 2, conditions: [cond("Ready", "False", "BuildFailed", "no kustomization.yaml")] }), "t");
  assert.deepEqual(failed, { phase: "failed", reason: "BuildFailed", message: "no kustomization.yaml" });
  const stalled = reconcileState(obj({ lastHandledReconcileAt: "t", observedGeneration: 2, conditions: [cond("Stalled", "True", "InvalidURL", "bad url"), cond("Ready", "False")] }), "t");
  assert.equal(stalled.phase, "failed");
});

test("still reconciling or an old generation keeps waiting", () => {
  assert.equal(reconcileState(obj({ lastHandledReconcileAt: "t", observedGeneration: 1, conditions: [cond("Ready", "True")] }), "t").phase, "pending");
  assert.equal(reconcileState(obj({ lastHandledReconcileAt: "t", observedGeneration: 2, conditions: [cond("Reconciling", "True"), cond("Ready", "False")] }), "t").phase, "pending");
});

test("a failure the controller will retry is still this reconcile's failure", () => {
  const s = reconcileState(
    obj({ lastHandledReconcileAt: "t", observedGeneration: 2, conditions: [cond("Ready", "False", "ArtifactFailed", "x"), cond("Reconciling", "True", "ProgressingWithRetry", "x")] }),
    "t",
  );
  assert.equal(s.phase, "failed");
});
