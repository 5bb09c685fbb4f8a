import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Value } from "@sinclair/typebox/value";
import { KustomizationSpec, KustomizationStatus } from "./kustomization.ts";

const valid = {
  interval: "10m",
  retryInterval: "2m30s",
  timeout: "5m",
  path: "./clusters/production/apps",
  prune: true,
  wait: true,
  deletionPolicy: "MirrorPrune",
  sourceRef: { kind: "GitRepository", name: "fleet", namespace: "flux-system" },
  dependsOn: [{ name: "infra-controllers" }, { name: "crds", namespace: "flux-system", readyExpr: "dep.status.lastAppliedRevision != ''" }],
  targetNamespace: "apps",
  namePrefix: "prod-",
  commonMetadata: { labels: { team: "web" }, annotations: { "example.com/owner": "web" } },
  patches: [
    {
      patch: "- op: replace\n  path: /spec/replicas\n  value: 3\n",
      target: { group: "apps", version: "v1", kind: "Deployment", labelSelector: "app=podinfo" },
    },
  ],
  images: [{ name: "ghcr.io/stefanprodan/podinfo", newTag: "6.7.1" }],
  components: ["../components/monitoring"],
  buildMetadata: ["originAnnotations"],
  postBuild: {
    substitute: { cluster_env: "production" },
    substituteFrom: [{ kind: "ConfigMap", name: "cluster-vars" }, { kind: "Secret", name: "cluster-secrets", optional: true }],
    substituteStrategy: "WithVariables",
  },
  decryption: { provider: "sops", secretRef: { name: "sops-age" } },
  kubeConfig: { secretRef: { name: "prod-kubeconfig", key: "value.yaml" } },
  healthChecks: [{ apiVersion: "apps/v1", kind: "Deployment", name: "podinfo", namespace: "apps" }],
  healthCheckExprs: [
    {
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      current: "status.conditions.filter(e, e.type == 'Ready').all(e, e.status == 'True')",
      failed: "status.conditions.filter(e, e.type == 'Ready').all(e, e.status == 'False')",
    },
  ],
  ignore: [{ paths: ["/spec/replicas"], target: { kind: "Deployment" } }],
  force: false,
};

const without = (key: string) => Object.fromEntries(Object.entries(valid).filter(([k]) => k !== key));
const errors = (value: unknown) => JSON.stringify([...Value.Errors(KustomizationSpec, value)]);

describe("Kustomization spec", () => {
  test("accepts a realistic production Kustomization", () => {
    assert.ok(Value.Check(KustomizationSpec, valid), errors(valid));
  });

  test("accepts the smallest spec: interval, prune and sourceRef", () => {
    const spec = { interval: "1h", prune: false, sourceRef: { kind: "OCIRepository", name: "manifests" } };
    assert.ok(Value.Check(KustomizationSpec, spec), errors(spec));
  });

  test("rejects intervals that are not Go durations with units", () => {
    for (const interval of ["10", "1d", "ten minutes", "-5m", ""]) {
      assert.equal(Value.Check(KustomizationSpec, { ...valid, interval }), false, interval);
    }
    assert.equal(Value.Check(KustomizationSpec, { ...valid, timeout: "30" }), false);
  });

  test("rejects values outside the enums", () => {
    assert.equal(Value.Check(KustomizationSpec, { ...valid, sourceRef: { kind: "HelmRepository", name: "x" } }), false);
    assert.equal(Value.Check(KustomizationSpec, { ...valid, deletionPolicy: "Keep" }), false);
    assert.equal(Value.Check(KustomizationSpec, { ...valid, decryption: { provider: "age" } }), false);
    assert.equal(Value.Check(KustomizationSpec, { ...valid, buildMetadata: ["managedByLabel"] }), false);
    assert.equal(
      Value.Check(KustomizationSpec, { ...valid, postBuild: { substituteFrom: [{ kind: "Namespace", name: "vars" }] } }),
      false,
    );
  });

  test("rejects a spec missing a required field", () => {
    for (const key of ["interval", "prune", "sourceRef"]) {
      assert.equal(Value.Check(KustomizationSpec, without(key)), false, key);
    }
    assert.equal(Value.Check(KustomizationSpec, { ...valid, sourceRef: { kind: "GitRepository" } }), false);
    assert.equal(Value.Check(KustomizationSpec, { ...valid, patches: [{ target: { kind: "Deployment" } }] }), false);
    assert.equal(Value.Check(KustomizationSpec, { ...valid, ignore: [{ target: { kind: "Deployment" } }] }), false);
  });

  test("rejects out-of-range lengths", () => {
    assert.equal(Value.Check(KustomizationSpec, { ...valid, targetNamespace: "n".repeat(64) }), false);
    assert.equal(Value.Check(KustomizationSpec, { ...valid, namePrefix: "" }), false);
  });
});

describe("Kustomization status", () => {
  test("accepts the status of a successful reconcile", () => {
    const status = {
      observedGeneration: 3,
      lastHandledReconcileAt: "2026-08-01T10:00:00.123456789Z",
      lastAttemptedRevision: "main@sha1:450796ddb2ab6724ee1cc32a4be56da032d1cca0",
      lastAppliedRevision: "main@sha1:450796ddb2ab6724ee1cc32a4be56da032d1cca0",
      conditions: [
        {
          type: "Ready",
          status: "True",
          reason: "ReconciliationSucceeded",
          message: "Applied revision: main@sha1:450796dd",
          observedGeneration: 3,
          lastTransitionTime: "2026-08-01T10:00:02Z",
        },
      ],
      inventory: {
        entries: [
          { id: "_apps__Namespace", v: "v1" },
          { id: "apps_podinfo_apps_Deployment", v: "v1" },
        ],
      },
      history: [
        {
          digest: "sha256:43ad78c94b2655429d84f21488f29d7cca9cd45b7f54d2b27e16bbec8eff9228",
          firstReconciled: "2026-08-01T09:00:00Z",
          lastReconciled: "2026-08-01T10:00:02Z",
          lastReconciledDuration: "2.818583s",
          lastReconciledStatus: "ReconciliationSucceeded",
          totalReconciliations: 2,
          metadata: { revision: "main@sha1:450796ddb2ab6724ee1cc32a4be56da032d1cca0" },
        },
      ],
    };
    assert.ok(Value.Check(KustomizationStatus, status), JSON.stringify([...Value.Errors(KustomizationStatus, status)]));
  });

  test("rejects an inventory entry without a version", () => {
    assert.equal(Value.Check(KustomizationStatus, { inventory: { entries: [{ id: "apps_podinfo__Service" }] } }), false);
  });
});
