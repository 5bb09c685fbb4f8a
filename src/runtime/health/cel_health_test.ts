import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/meta.ts";
import { compileCelHealth } from "./cel_health.ts";
import { compileCelPredicate } from "./cel_predicate.ts";

const cert = (status: string, generation = 1, observed = 1): KubeObject => ({
  apiVersion: "cert-manager.io/v1",
  kind: "Certificate",
  metadata: { name: "c", generation },
  status: { observedGeneration: observed, conditions: [{ type: "Ready", status }] },
});

test("Flux cheat-sheet expressions: cert-manager Certificate", () => {
  const health = compileCelHealth([
    {
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      current: "status.conditions.filter(e, e.type == 'Ready').all(e, e.status == 'True')",
      failed: "status.conditions.filter(e, e.type == 'Ready').all(e, e.status == 'False')",
    },
  ]);
  assert.equal(health(cert("True"))?.status, "Current");
  assert.equal(health(cert("False"))?.status, "Failed");
  assert.equal(health(cert("Unknown"))?.status, "InProgress");
  assert.equal(health(cert("True", 2, 1))?.status, "InProgress");
  assert.equal(health({ apiVersion: "v1", kind: "ConfigMap", metadata: {} }), undefined);
});

test("group-wide rules and kind rules; phase and exists expressions", () => {
  const health = compileCelHealth([
    { apiVersion: "cluster.x-k8s.io/v1beta1", current: "status.phase == 'Provisioned'", failed: "status.phase == 'Failed'" },
    {
      apiVersion: "cluster.x-k8s.io/v1beta1",
      kind: "MachinePool",
      current: "status.conditions.exists(e, e.type == 'Ready' && e.status == 'True')",
      inProgress: "has(status.phase) && status.phase == 'ScalingUp'",
    },
  ]);
  const obj = (kind: string, status: Record<string, unknown>): KubeObject => ({ apiVersion: "cluster.x-k8s.io/v1beta1", kind, metadata: {}, status });
  assert.equal(health(obj("Cluster", { phase: "Provisioned" }))?.status, "Current");
  assert.equal(health(obj("Cluster", { phase: "Failed" }))?.status, "Failed");
  assert.equal(health(obj("Cluster", {}))?.status, "InProgress", "a missing field is false, not an error");
  assert.equal(health(obj("MachinePool", { phase: "ScalingUp", conditions: [] }))?.status, "InProgress");
  assert.equal(health(obj("MachinePool", { conditions: [{ type: "Ready", status: "True" }] }))?.status, "Current");
});

test("invalid and duplicate rules are configuration errors naming the rule", () => {
  assert.throws(() => compileCelHealth([{ apiVersion: "a/v1", kind: "X", current: "status.(" }]), /healthCheckExprs\[0\] \(X.a\)\.current: invalid CEL expression/);
  assert.throws(
    () => compileCelHealth([{ apiVersion: "a/v1", kind: "X", current: "true" }, { apiVersion: "a/v2", kind: "X", current: "true" }]),
    /healthCheckExprs\[1\].*duplicate/,
  );
});

test("readyExpr predicates see self and dep", () => {
  const p = compileCelPredicate("dep.status.lastAppliedRevision == self.status.lastAttemptedRevision", "dependsOn[0].readyExpr");
  assert.equal(p({ self: { status: { lastAttemptedRevision: "a" } }, dep: { status: { lastAppliedRevision: "a" } } }), true);
  assert.equal(p({ self: { status: { lastAttemptedRevision: "a" } }, dep: { status: {} } }), false);
  assert.throws(() => compileCelPredicate("1 +", "x"), /x: invalid CEL expression/);
  assert.throws(() => compileCelPredicate("1 + 1", "x")({}), /must evaluate to a bool/);
});
