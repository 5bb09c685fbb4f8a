import assert from "node:assert/strict";
import { test } from "node:test";
import { findCondition, markFailed, markReady, markReconciling, markStalled, setCondition } from "./conditions.ts";

const obj = () => ({ metadata: { generation: 3 }, status: {} as { conditions?: never[] } });

test("lastTransitionTime moves only when the status changes", () => {
  const o = obj();
  setCondition(o, "Ready", "False", "A", "a", new Date("2020-01-01T00:00:00Z"));
  setCondition(o, "Ready", "False", "B", "b", new Date("2021-01-01T00:00:00Z"));
  assert.equal(findCondition(o, "Ready")?.lastTransitionTime, "2020-01-01T00:00:00Z");
  assert.equal(findCondition(o, "Ready")?.reason, "B");
  setCondition(o, "Ready", "True", "C", "c", new Date("2022-01-01T00:00:00Z"));
  assert.equal(findCondition(o, "Ready")?.lastTransitionTime, "2022-01-01T00:00:00Z");
  assert.equal(findCondition(o, "Ready")?.observedGeneration, 3);
});

test("kstatus lifecycle: reconciling, failed with retry, ready, stalled", () => {
  const o = obj();
  markReconciling(o, "working");
  assert.equal(findCondition(o, "Ready")?.status, "Unknown");
  markFailed(o, "BuildFailed", "boom");
  assert.equal(findCondition(o, "Reconciling")?.reason, "ProgressingWithRetry");
  markReady(o, "ReconciliationSucceeded", "done");
  assert.equal(findCondition(o, "Reconciling"), undefined);
  markStalled(o, "InvalidPath", "no such path");
  assert.equal(findCondition(o, "Stalled")?.status, "True");
  assert.equal(findCondition(o, "Ready")?.status, "False");
});
