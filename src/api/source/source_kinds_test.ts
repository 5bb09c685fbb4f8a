import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Value } from "@sinclair/typebox/value";
import type { TSchema } from "../schema.ts";
import { BucketSpec, BucketStatus } from "./bucket.ts";
import { ExternalArtifactSpec, ExternalArtifactStatus } from "./external_artifact.ts";
import { HelmChartSpec, HelmChartStatus } from "./helm_chart.ts";
import { HelmRepositorySpec, HelmRepositoryStatus } from "./helm_repository.ts";
import { OCIRepositorySpec, OCIRepositoryStatus } from "./oci_repository.ts";

const artifact = {
  digest: "sha256:2c7a6b2a1a2dbd0d6d1b7a0f7d5f3c4e6b8a9c0d1e2f3a4b5c6d7e8f9a0b1c2d",
  lastUpdateTime: "2026-03-14T09:26:53Z",
  path: "ocirepository/apps/podinfo/sha256:2c7a6b2a.tar.gz",
  revision: "6.7.1@sha256:2c7a6b2a1a2dbd0d6d1b7a0f7d5f3c4e6b8a9c0d1e2f3a4b5c6d7e8f9a0b1c2d",
  size: 48213,
  url: "http://source-controller.flux-system.svc.cluster.local./ocirepository/apps/podinfo/sha256:2c7a6b2a.tar.gz",
};

const ready = {
  lastTransitionTime: "2026-03-14T09:26:54Z",
  message: "stored artifact for digest '6.7.1@sha256:2c7a6b2a'",
  observedGeneration: 3,
  reason: "Succeeded",
  status: "True",
  type: "Ready",
};

interface Case {
  kind: string;
  spec: TSchema;
  status: TSchema;
  valid: unknown;
  validStatus: unknown;
  invalid: Array<[string, unknown]>;
}

const cases: Case[] = [
  {
    kind: "HelmRepository",
    spec: HelmRepositorySpec,
    status: HelmRepositoryStatus,
    valid: {
      interval: "30m",
      url: "https://stefanprodan.github.io/podinfo",
      secretRef: { name: "podinfo-basic-auth" },
      certSecretRef: { name: "podinfo-ca" },
      passCredentials: false,
      timeout: "1m30s",
      accessFrom: { namespaceSelectors: [{ matchLabels: { team: "apps" } }] },
    },
    validStatus: {
      observedGeneration: 3,
      conditions: [ready],
      artifact: { ...artifact, revision: "sha256:2c7a6b2a1a2dbd0d6d1b7a0f7d5f3c4e6b8a9c0d1e2f3a4b5c6d7e8f9a0b1c2d" },
      url: "http://source-controller.flux-system.svc.cluster.local./helmrepository/apps/podinfo/index.yaml",
    },
    invalid: [
      ["an unknown type", { url: "https://charts.example.com", type: "chartmuseum" }],
      ["an ftp URL", { url: "ftp://charts.example.com" }],
      ["an interval in days", { url: "https://charts.example.com", interval: "1d" }],
      ["a timeout in hours", { url: "https://charts.example.com", timeout: "1h" }],
      ["no url", { interval: "10m" }],
    ],
  },
  {
    kind: "HelmChart",
    spec: HelmChartSpec,
    status: HelmChartStatus,
    valid: {
      chart: "podinfo",
      version: ">=6.0.0 <7.0.0",
      sourceRef: { kind: "HelmRepository", name: "podinfo" },
      interval: "5m",
      reconcileStrategy: "ChartVersion",
      valuesFiles: ["values.yaml", "values-production.yaml"],
      verify: {
        provider: "cosign",
        matchOIDCIdentity: [
          { issuer: "^https://token.actions.githubusercontent.com$", subject: "^https://github.com/stefanprodan/podinfo.*$" },
        ],
      },
    },
    validStatus: {
      observedGeneration: 2,
      observedChartName: "podinfo",
      observedSourceArtifactRevision: "sha256:2c7a6b2a1a2dbd0d6d1b7a0f7d5f3c4e6b8a9c0d1e2f3a4b5c6d7e8f9a0b1c2d",
      observedValuesFiles: ["values.yaml", "values-production.yaml"],
      artifact: { ...artifact, revision: "6.7.1+2", path: "helmchart/apps/apps-podinfo/podinfo-6.7.1+2.tgz" },
      conditions: [ready],
    },
    invalid: [
      ["an unsupported source kind", { chart: "podinfo", interval: "5m", sourceRef: { kind: "OCIRepository", name: "podinfo" } }],
      [
        "an unknown reconcile strategy",
        { chart: "./charts/podinfo", interval: "5m", sourceRef: { kind: "GitRepository", name: "podinfo" }, reconcileStrategy: "Commit" },
      ],
      ["an unknown verification provider", {
        chart: "podinfo",
        interval: "5m",
        sourceRef: { kind: "HelmRepository", name: "podinfo" },
        verify: { provider: "gpg" },
      }],
      ["no interval", { chart: "podinfo", sourceRef: { kind: "HelmRepository", name: "podinfo" } }],
    ],
  },
  {
    kind: "OCIRepository",
    spec: OCIRepositorySpec,
    status: OCIRepositoryStatus,
    valid: {
      interval: "10m",
      url: "oci://ghcr.io/stefanprodan/manifests/podinfo",
      ref: { semver: ">=6.0.0", semverFilter: "^6\\." },
      layerSelector: { mediaType: "application/vnd.cncf.flux.content.v1.tar+gzip", operation: "extract" },
      provider: "generic",
      ignore: "# keep only the deploy dir\n/*\n!/deploy\n",
      verify: {
        provider: "cosign",
        secretRef: { name: "cosign-pub" },
        trustedRootSecretRef: { name: "sigstore-root" },
      },
      proxySecretRef: { name: "corp-proxy" },
    },
    validStatus: {
      observedGeneration: 3,
      conditions: [ready],
      artifact: { ...artifact, metadata: { "org.opencontainers.image.source": "https://github.com/stefanprodan/podinfo" } },
      url: "http://source-controller.flux-system.svc.cluster.local./ocirepository/apps/podinfo/latest.tar.gz",
      observedLayerSelector: { mediaType: "application/vnd.cncf.flux.content.v1.tar+gzip", operation: "extract" },
      sourceVerificationFingerprint: "sha256:9f0e1d2c3b4a",
    },
    invalid: [
      ["an https URL", { interval: "10m", url: "https://ghcr.io/stefanprodan/manifests/podinfo" }],
      ["an unknown layer operation", { interval: "10m", url: "oci://ghcr.io/x/y", layerSelector: { operation: "unpack" } }],
      ["an unknown provider", { interval: "10m", url: "oci://ghcr.io/x/y", provider: "github" }],
      ["a bad interval", { interval: "ten minutes", url: "oci://ghcr.io/x/y" }],
      ["an OIDC identity without subject", {
        interval: "10m",
        url: "oci://ghcr.io/x/y",
        verify: { provider: "cosign", matchOIDCIdentity: [{ issuer: ".*" }] },
      }],
    ],
  },
  {
    kind: "Bucket",
    spec: BucketSpec,
    status: BucketStatus,
    valid: {
      interval: "5m",
      provider: "aws",
      bucketName: "podinfo-manifests",
      endpoint: "s3.amazonaws.com",
      region: "eu-west-1",
      prefix: "clusters/production/",
      sts: { provider: "aws", endpoint: "https://sts.eu-west-1.amazonaws.com" },
      timeout: "90s",
    },
    validStatus: {
      observedGeneration: 1,
      conditions: [ready],
      artifact: { ...artifact, revision: "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
      url: "http://source-controller.flux-system.svc.cluster.local./bucket/apps/podinfo/latest.tar.gz",
      observedIgnore: "*.md",
    },
    invalid: [
      ["an unknown provider", { interval: "5m", bucketName: "b", endpoint: "minio:9000", provider: "oracle" }],
      ["an unknown STS provider", {
        interval: "5m",
        bucketName: "b",
        endpoint: "minio:9000",
        sts: { provider: "keycloak", endpoint: "https://sts.example.com" },
      }],
      ["an STS endpoint without scheme", {
        interval: "5m",
        bucketName: "b",
        endpoint: "minio:9000",
        sts: { provider: "ldap", endpoint: "sts.example.com" },
      }],
      ["no bucketName", { interval: "5m", endpoint: "minio:9000" }],
    ],
  },
  {
    kind: "ExternalArtifact",
    spec: ExternalArtifactSpec,
    status: ExternalArtifactStatus,
    valid: {
      sourceRef: { apiVersion: "source.extensions.fluxcd.io/v1beta1", kind: "ArtifactGenerator", name: "podinfo", namespace: "apps" },
    },
    validStatus: {
      artifact: { ...artifact, revision: "latest@sha256:2c7a6b2a1a2dbd0d6d1b7a0f7d5f3c4e6b8a9c0d1e2f3a4b5c6d7e8f9a0b1c2d" },
      conditions: [ready],
      exportedInputs: { tenant: "team-a", replicas: 3, features: { canary: true } },
    },
    invalid: [
      ["a source reference without kind", { sourceRef: { name: "podinfo" } }],
      ["a numeric source name", { sourceRef: { kind: "ArtifactGenerator", name: 42 } }],
    ],
  },
];

for (const c of cases) {
  describe(c.kind, () => {
    test("a realistic spec passes", () => {
      assert.ok(Value.Check(c.spec, c.valid), JSON.stringify([...Value.Errors(c.spec, c.valid)].map((e) => `${e.path}: ${e.message}`)));
    });
    test("a realistic status passes", () => {
      assert.ok(
        Value.Check(c.status, c.validStatus),
        JSON.stringify([...Value.Errors(c.status, c.validStatus)].map((e) => `${e.path}: ${e.message}`)),
      );
    });
    for (const [what, spec] of c.invalid) {
      test(`a spec with ${what} fails`, () => {
        assert.equal(Value.Check(c.spec, spec), false);
      });
    }
  });
}

test("an artifact with a malformed digest fails the status schema", () => {
  const status = { artifact: { ...artifact, digest: "2c7a6b2a" } };
  assert.equal(Value.Check(OCIRepositoryStatus, status), false);
});
