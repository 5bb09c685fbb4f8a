import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/meta.ts";
import { computeStatus } from "./compute_status.ts";

const obj = (apiVersion: string, kind: string, rest: Record<string, unknown> = {}, generation = 1): KubeObject =>
  ({ apiVersion, kind, metadata: { name: "x", generation }, ...rest }) as KubeObject;

test("Deployment scaled to zero is Current once observed", () => {
  const d = obj("apps/v1", "Deployment", { spec: { replicas: 0 }, status: { observedGeneration: 1, conditions: [{ type: "Available", status: "True" }] } });
  assert.equal(computeStatus(d).status, "Current");
  const stale = obj("apps/v1", "Deployment", { spec: { replicas: 0 }, status: { observedGeneration: 1 } }, 2);
  assert.deepEqual([computeStatus(stale).status, computeStatus(stale).reason], ["InProgress", "LatestGenerationNotObserved"]);
  const lessReady = obj("apps/v1", "Deployment", {
    spec: { replicas: 2 },
    status: { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2, readyReplicas: 1 },
  });
  assert.equal(computeStatus(lessReady).reason, "LessReady");
  const deadline = obj("apps/v1", "Deployment", { status: { conditions: [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded" }] } });
  assert.equal(computeStatus(deadline).status, "Failed");
});

test("Jobs follow Flux: running is in progress", () => {
  assert.equal(computeStatus(obj("batch/v1", "Job", { status: { startTime: "t" } })).reason, "JobInProgress");
  assert.equal(computeStatus(obj("batch/v1", "Job", { status: { conditions: [{ type: "Complete", status: "True" }] } })).status, "Current");
  assert.equal(computeStatus(obj("batch/v1", "Job", { status: { conditions: [{ type: "Failed", status: "True" }] } })).status, "Failed");
});

test("CRDs, PVCs, Services, Pods, Ready conditions and unknown kinds", () => {
  const crd = (c: Record<string, string>) => obj("apiextensions.k8s.io/v1", "CustomResourceDefinition", { status: { conditions: [c] } });
  assert.equal(computeStatus(crd({ type: "Established", status: "True" })).status, "Current");
  assert.equal(computeStatus(crd({ type: "NamesAccepted", status: "False" })).status, "Failed");
  assert.equal(computeStatus(obj("v1", "PersistentVolumeClaim", { status: { phase: "Pending" } })).reason, "NotBound");
  assert.equal(computeStatus(obj("v1", "Service", { spec: { type: "LoadBalancer" } })).reason, "NoIPAssigned");
  assert.equal(computeStatus(obj("v1", "Service", { spec: { type: "ClusterIP", clusterIP: "10.0.0.1" } })).status, "Current");
  const crash = obj("v1", "Pod", { status: { phase: "Running", containerStatuses: [{ name: "app", state: { waiting: { reason: "CrashLoopBackOff" } } }] } });
  assert.equal(computeStatus(crash).reason, "ContainerCrashLooping");
  const notReady = obj("example.com/v1", "Widget", { status: { conditions: [{ type: "Ready", status: "False", reason: "Waiting", message: "m" }] } });
  assert.deepEqual(computeStatus(notReady), { status: "InProgress", reason: "Waiting", message: "m" });
  assert.equal(computeStatus(obj("example.com/v1", "Widget")).status, "Current");
  assert.equal(computeStatus(undefined).status, "NotFound");
  assert.equal(computeStatus({ ...obj("v1", "ConfigMap"), metadata: { deletionTimestamp: "t" } }).status, "Terminating");
});
