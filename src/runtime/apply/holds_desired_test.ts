import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/meta.ts";
import { holdsDesired } from "./holds_desired.ts";

const desired: KubeObject = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "apps", labels: { app: "web", "kustomize.toolkit.fluxcd.io/name": "apps" } },
  spec: { replicas: 0, template: { spec: { containers: [{ name: "app", image: "nginx:1.27" }] } } },
} as KubeObject;

function live(): KubeObject {
  const l = structuredClone(desired) as KubeObject & { spec: { template: { spec: { containers: Array<Record<string, unknown>> } } } };
  l.metadata = { ...l.metadata, uid: "u1", resourceVersion: "7", generation: 1, annotations: { "deployment.kubernetes.io/revision": "1" } };
  l.spec.template.spec.containers[0].imagePullPolicy = "IfNotPresent";
  (l as { status?: unknown }).status = { observedGeneration: 1 };
  return l;
}

test("holdsDesired: fields added by the server and other controllers do not count", () => {
  assert.equal(holdsDesired(desired, live()), true);
});

test("holdsDesired: a changed, missing or extra list item does", () => {
  const changed = live() as KubeObject & { spec: { template: { spec: { containers: Array<Record<string, unknown>> } } } };
  changed.spec.template.spec.containers[0].image = "nginx:1.28";
  assert.equal(holdsDesired(desired, changed), false);
  const noLabel = live();
  delete noLabel.metadata.labels!.app;
  assert.equal(holdsDesired(desired, noLabel), false);
  const twoContainers = live() as KubeObject & { spec: { template: { spec: { containers: unknown[] } } } };
  twoContainers.spec.template.spec.containers.push({ name: "sidecar", image: "busybox" });
  assert.equal(holdsDesired(desired, twoContainers), false);
});

test("holdsDesired: null, types and scalars compare strictly", () => {
  assert.equal(holdsDesired({ ...desired, spec: { replicas: "0" } } as KubeObject, live()), false);
  assert.equal(holdsDesired({ ...desired, spec: { paused: null } } as KubeObject, live()), false);
});
