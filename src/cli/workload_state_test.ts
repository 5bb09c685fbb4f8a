import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../api/meta.ts";
import { crdState, deploymentState } from "./workload_state.ts";

const deployment = (status: Record<string, unknown>, replicas = 1): KubeObject =>
  ({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d", generation: 2 }, spec: { replicas }, status }) as KubeObject;

test("a Deployment is ready when the current generation is rolled out and available", () => {
  assert.equal(deploymentState(deployment({ observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 1 })).ready, true);
  assert.equal(deploymentState(deployment({ observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 })).detail, "rollout not started");
  assert.equal(deploymentState(deployment({ observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 1 }, 2)).detail, "1/2 replicas available");
  const stuck = deploymentState(deployment({ observedGeneration: 2, conditions: [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded", message: "timed out" }] }));
  assert.deepEqual(stuck, { ready: false, failed: true, detail: "timed out" });
});

test("a CRD is ready once Established", () => {
  const crd = (conditions: unknown[]) => ({ apiVersion: "v1", kind: "CustomResourceDefinition", metadata: { name: "x" }, status: { conditions } }) as KubeObject;
  assert.equal(crdState(crd([{ type: "Established", status: "True" }])).ready, true);
  assert.equal(crdState(crd([])).ready, false);
  assert.match(crdState(crd([{ type: "NamesAccepted", status: "False", message: "clash" }])).failed!, /clash/);
});
