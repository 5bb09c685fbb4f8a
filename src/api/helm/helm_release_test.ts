import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Value } from "@sinclair/typebox/value";
import { HelmReleaseSpec, HelmReleaseStatus } from "./helm_release.ts";

const valid = {
  interval: "30m",
  timeout: "10m",
  releaseName: "podinfo",
  targetNamespace: "apps",
  storageNamespace: "apps",
  maxHistory: 10,
  serviceAccountName: "helm-apps",
  chart: {
    metadata: { labels: { team: "web" } },
    spec: {
      chart: "podinfo",
      version: ">=6.7.0 <7.0.0",
      sourceRef: { kind: "HelmRepository", name: "podinfo", namespace: "flux-system" },
      interval: "1h",
      reconcileStrategy: "ChartVersion",
      valuesFiles: ["values.yaml", "values-production.yaml"],
    },
  },
  dependsOn: [{ name: "cert-manager", namespace: "cert-manager" }],
  install: {
    crds: "Create",
    createNamespace: true,
    remediation: { retries: 3 },
    strategy: { name: "RetryOnFailure", retryInterval: "2m" },
  },
  upgrade: {
    crds: "CreateReplace",
    cleanupOnFail: true,
    remediation: { retries: -1, strategy: "rollback", remediateLastFailure: true },
    serverSideApply: "auto",
    chartNameChangeStrategy: "Reinstall",
  },
  test: { enable: true, ignoreFailures: false, filters: [{ name: "podinfo-grpc-test", exclude: true }] },
  rollback: { cleanupOnFail: true, serverSideApply: "enabled" },
  uninstall: { keepHistory: false, deletionPropagation: "foreground", timeout: "5m" },
  driftDetection: { mode: "enabled", ignore: [{ paths: ["/spec/replicas"], target: { kind: "Deployment" } }] },
  values: { replicaCount: 2, ingress: { enabled: true, hosts: [{ host: "podinfo.example.com" }] } },
  valuesFrom: [
    { kind: "ConfigMap", name: "podinfo-values" },
    { kind: "Secret", name: "podinfo-secrets", valuesKey: "redis-password", targetPath: "redis.auth.password", optional: true },
  ],
  postRenderers: [
    {
      kustomize: {
        patches: [{ patch: "- op: add\n  path: /metadata/labels/tier\n  value: web\n", target: { kind: "Deployment" } }],
        images: [{ name: "ghcr.io/stefanprodan/podinfo", digest: "sha256:2c7a6b2a1a2dbd0d6d1b7a0f7d5f3c4e6b8a9c0d1e2f3a4b5c6d7e8f9a0b1c2d" }],
      },
    },
  ],
  postRenderStrategy: "combined",
  commonMetadata: { labels: { "app.kubernetes.io/part-of": "shop" } },
  waitStrategy: { name: "poller" },
};

const without = (key: string) => Object.fromEntries(Object.entries(valid).filter(([k]) => k !== key));
const errors = (value: unknown) => JSON.stringify([...Value.Errors(HelmReleaseSpec, value)]);

describe("HelmRelease spec", () => {
  test("accepts a realistic HelmRelease with a chart template", () => {
    assert.ok(Value.Check(HelmReleaseSpec, valid), errors(valid));
  });

  test("accepts a HelmRelease that points at an OCIRepository with chartRef", () => {
    const spec = { interval: "10m", chartRef: { kind: "OCIRepository", name: "podinfo", namespace: "flux-system" } };
    assert.ok(Value.Check(HelmReleaseSpec, spec), errors(spec));
  });

  test("rejects intervals and timeouts that are not Go durations with units", () => {
    for (const interval of ["30", "1d", "half an hour", ""]) {
      assert.equal(Value.Check(HelmReleaseSpec, { ...valid, interval }), false, interval);
    }
    assert.equal(Value.Check(HelmReleaseSpec, { ...valid, install: { timeout: "5 minutes" } }), false);
  });

  test("rejects values outside the enums", () => {
    const bad: Array<[string, unknown]> = [
      ["chartRef kind", { ...without("chart"), chartRef: { kind: "GitRepository", name: "x" } }],
      ["sourceRef kind", { ...valid, chart: { spec: { chart: "podinfo", sourceRef: { kind: "OCIRepository", name: "x" } } } }],
      ["install crds", { ...valid, install: { crds: "Replace" } }],
      ["upgrade serverSideApply", { ...valid, upgrade: { serverSideApply: "true" } }],
      ["strategy name", { ...valid, install: { strategy: { name: "RetryForever" } } }],
      ["deletionPropagation", { ...valid, uninstall: { deletionPropagation: "cascade" } }],
      ["drift mode", { ...valid, driftDetection: { mode: "on" } }],
      ["valuesFrom kind", { ...valid, valuesFrom: [{ kind: "Namespace", name: "x" }] }],
      ["waitStrategy", { ...valid, waitStrategy: { name: "kstatus" } }],
    ];
    for (const [what, spec] of bad) assert.equal(Value.Check(HelmReleaseSpec, spec), false, what);
  });

  test("rejects a spec missing a required field", () => {
    assert.equal(Value.Check(HelmReleaseSpec, without("interval")), false);
    assert.equal(Value.Check(HelmReleaseSpec, { ...valid, chart: { spec: { chart: "podinfo" } } }), false);
    assert.equal(Value.Check(HelmReleaseSpec, { ...valid, chart: { spec: { sourceRef: valid.chart.spec.sourceRef } } }), false);
    assert.equal(Value.Check(HelmReleaseSpec, { ...valid, waitStrategy: {} }), false);
    assert.equal(Value.Check(HelmReleaseSpec, { ...valid, valuesFrom: [{ kind: "Secret" }] }), false);
  });

  test("rejects bad value references and release names", () => {
    assert.equal(Value.Check(HelmReleaseSpec, { ...valid, valuesFrom: [{ kind: "Secret", name: "s", valuesKey: "a/b" }] }), false);
    assert.equal(Value.Check(HelmReleaseSpec, { ...valid, valuesFrom: [{ kind: "Secret", name: "s", targetPath: "a b" }] }), false);
    assert.equal(Value.Check(HelmReleaseSpec, { ...valid, releaseName: "r".repeat(54) }), false);
  });
});

describe("HelmRelease status", () => {
  test("accepts the status after an upgrade", () => {
    const status = {
      observedGeneration: 2,
      lastAttemptedGeneration: 2,
      lastAttemptedReleaseAction: "upgrade",
      lastAttemptedReleaseActionDuration: "12.3s",
      lastAttemptedRevision: "6.7.1",
      lastAttemptedConfigDigest: "sha256:e15c415d1e2f3a4b5c6d7e8f9a0b1c2d",
      helmChart: "flux-system/apps-podinfo",
      storageNamespace: "apps",
      failures: 0,
      history: [
        {
          apiVersion: "v2",
          name: "podinfo",
          namespace: "apps",
          version: 2,
          status: "deployed",
          action: "upgrade",
          chartName: "podinfo",
          chartVersion: "6.7.1",
          appVersion: "6.7.1",
          configDigest: "sha256:e15c415d",
          digest: "sha256:0cc9a844",
          firstDeployed: "2026-08-01T09:00:00Z",
          lastDeployed: "2026-08-01T10:00:00Z",
          testHooks: {
            "podinfo-grpc-test": { lastStarted: "2026-08-01T10:00:05Z", lastCompleted: "2026-08-01T10:00:09Z", phase: "Succeeded" },
          },
        },
      ],
      inventory: { entries: [{ id: "apps_podinfo__Service", v: "v1" }] },
    };
    assert.ok(Value.Check(HelmReleaseStatus, status), JSON.stringify([...Value.Errors(HelmReleaseStatus, status)]));
  });

  test("rejects a release action other than install or upgrade", () => {
    assert.equal(Value.Check(HelmReleaseStatus, { lastAttemptedReleaseAction: "rollback" }), false);
  });
});
