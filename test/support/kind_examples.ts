/** One realistic, valid object per kind Sluice serves (spec only; the API server adds defaults). */
export const kindExamples: Record<string, { apiVersion: string; spec: Record<string, unknown> }> = {
  GitRepository: {
    apiVersion: "source.toolkit.fluxcd.io/v1",
    spec: { url: "https://example.com/org/repo.git", interval: "5m", ref: { branch: "main" }, ignore: "/docs\n" },
  },
  OCIRepository: {
    apiVersion: "source.toolkit.fluxcd.io/v1",
    spec: { url: "oci://ghcr.io/org/manifests", interval: "10m", ref: { semver: ">=1.0.0" } },
  },
  HelmRepository: {
    apiVersion: "source.toolkit.fluxcd.io/v1",
    spec: { url: "https://charts.example.com", interval: "1h" },
  },
  HelmChart: {
    apiVersion: "source.toolkit.fluxcd.io/v1",
    spec: { chart: "podinfo", version: "6.x", sourceRef: { kind: "HelmRepository", name: "charts" }, interval: "10m" },
  },
  Bucket: {
    apiVersion: "source.toolkit.fluxcd.io/v1",
    spec: { bucketName: "manifests", endpoint: "s3.example.com", interval: "5m", provider: "generic" },
  },
  ExternalArtifact: {
    apiVersion: "source.toolkit.fluxcd.io/v1",
    spec: { sourceRef: { apiVersion: "source.extensions.fluxcd.io/v1beta1", kind: "ArtifactGenerator", name: "gen" } },
  },
  Receiver: {
    apiVersion: "notification.toolkit.fluxcd.io/v1",
    spec: {
      type: "github",
      events: ["ping", "push"],
      secretRef: { name: "webhook-token" },
      resources: [{ kind: "GitRepository", name: "app" }],
    },
  },
  Provider: {
    apiVersion: "notification.toolkit.fluxcd.io/v1beta3",
    spec: { type: "slack", channel: "deploys", secretRef: { name: "slack-url" } },
  },
  Alert: {
    apiVersion: "notification.toolkit.fluxcd.io/v1beta3",
    spec: { providerRef: { name: "slack" }, eventSeverity: "error", eventSources: [{ kind: "Kustomization", name: "*" }] },
  },
  Kustomization: {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    spec: {
      interval: "10m",
      path: "./deploy",
      prune: true,
      sourceRef: { kind: "GitRepository", name: "app" },
      postBuild: { substitute: { cluster: "dev" } },
    },
  },
  HelmRelease: {
    apiVersion: "helm.toolkit.fluxcd.io/v2",
    spec: {
      interval: "10m",
      chart: { spec: { chart: "podinfo", version: "6.x", sourceRef: { kind: "HelmRepository", name: "charts" } } },
      values: { replicaCount: 2 },
    },
  },
};
