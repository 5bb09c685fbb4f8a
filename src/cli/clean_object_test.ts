import assert from "node:assert/strict";
import { test } from "node:test";
import { cleanObject } from "./clean_object.ts";

test("export keeps what one writes in Git and drops what the server and controllers set", () => {
  const cleaned = cleanObject({
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    metadata: {
      name: "apps",
      namespace: "flux-system",
      uid: "u",
      resourceVersion: "12",
      generation: 3,
      creationTimestamp: "2026-01-01T00:00:00Z",
      managedFields: [{}],
      finalizers: ["finalizers.fluxcd.io"],
      labels: { team: "a" },
      annotations: {
        "kubectl.kubernetes.io/last-applied-configuration": "{}",
        "reconcile.fluxcd.io/requestedAt": "now",
        "example.com/keep": "yes",
      },
    },
    spec: { interval: "10m", prune: true },
    status: { observedGeneration: 3 },
  });
  assert.deepEqual(cleaned, {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    metadata: { name: "apps", namespace: "flux-system", labels: { team: "a" }, annotations: { "example.com/keep": "yes" } },
    spec: { interval: "10m", prune: true },
  });
});
