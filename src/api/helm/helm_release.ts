import { CommonMetadata, CustomHealthCheck, IgnoreRule, Image, Patch } from "../applier.ts";
import { ResourceInventory } from "../inventory.ts";
import type { KindDefinition } from "../kind.ts";
import { readyColumns } from "../kind.ts";
import { Duration, Interval, type KubeObject, ReconcileStatusFields } from "../meta.ts";
import { DependencyReference, KubeConfigReference } from "../references.ts";
import { AnyJson, Int64, type Static, StringEnum, Type, withRules } from "../schema.ts";
import { helmCategories, helmGroup, helmStatusDefault } from "./group.ts";
import { HelmChartReference, HelmChartTemplate } from "./helm_chart_template.ts";
import { Install, Rollback, Test, Uninstall, Upgrade } from "./helm_release_actions.ts";
import { HelmReleaseHistory } from "./history.ts";

export const ValuesReference = Type.Object(
  {
    kind: StringEnum(["Secret", "ConfigMap"] as const, { description: "Kind of the object holding the values." }),
    literal: Type.Optional(Type.Boolean({ description: "Use the value as a literal string at targetPath, not as YAML." })),
    name: Type.String({ minLength: 1, maxLength: 253, description: "Name of the object, in the HelmRelease's namespace." }),
    optional: Type.Optional(Type.Boolean({ description: "Skip a missing object or key instead of failing." })),
    targetPath: Type.Optional(
      Type.String({
        maxLength: 250,
        pattern: "^([a-zA-Z0-9_\\-.\\\\\\/]|\\[[0-9]{1,5}\\])+$",
        description: "Dotted path the value is set at, as with helm --set; the whole key is merged when empty.",
      }),
    ),
    valuesKey: Type.Optional(
      Type.String({
        maxLength: 253,
        pattern: "^[\\-._a-zA-Z0-9]+$",
        description: "Data key holding the values; defaults to values.yaml.",
      }),
    ),
  },
  { description: "Values read from a ConfigMap or Secret." },
);
export type ValuesReference = Static<typeof ValuesReference>;

export const DriftDetection = Type.Object(
  {
    ignore: Type.Optional(Type.Array(IgnoreRule, { description: "Fields left out of drift detection." })),
    mode: Type.Optional(
      StringEnum(["enabled", "warn", "disabled"] as const, {
        description: "Correct drift (enabled), only report it (warn), or skip detection (disabled, the default).",
      }),
    ),
  },
  { description: "Detection and correction of changes made to the release's objects in the cluster." },
);
export type DriftDetection = Static<typeof DriftDetection>;

export const PostRenderer = Type.Object(
  {
    kustomize: Type.Optional(
      Type.Object(
        {
          images: Type.Optional(Type.Array(Image, { description: "Image name and tag overrides." })),
          patches: Type.Optional(Type.Array(Patch, { description: "Patches applied to the rendered objects." })),
        },
        { description: "Kustomize patches and image overrides applied to the rendered manifests." },
      ),
    ),
  },
  { description: "A step that edits the rendered manifests before they are applied." },
);
export type PostRenderer = Static<typeof PostRenderer>;

export const HelmReleaseSpec = withRules(
  Type.Object({
    chart: Type.Optional(HelmChartTemplate),
    chartRef: Type.Optional(HelmChartReference),
    commonMetadata: Type.Optional(CommonMetadata),
    dependsOn: Type.Optional(Type.Array(DependencyReference, { description: "HelmReleases that must be ready first." })),
    driftDetection: Type.Optional(DriftDetection),
    healthCheckExprs: Type.Optional(Type.Array(CustomHealthCheck, { description: "CEL health rules for custom kinds." })),
    install: Type.Optional(Install),
    interval: Interval("How often the release is reconciled."),
    kubeConfig: Type.Optional(
      withRules(KubeConfigReference, [
        { rule: "!has(self.configMapRef) || !has(self.secretRef)", message: "set only one of configMapRef and secretRef" },
        { rule: "has(self.configMapRef) || has(self.secretRef)", message: "set one of configMapRef and secretRef" },
      ]),
    ),
    maxHistory: Type.Optional(Type.Integer({ description: "Release revisions Helm keeps; 0 keeps all, defaults to 5." })),
    persistentClient: Type.Optional(Type.Boolean({ description: "Reuse one cluster client for all steps of an action." })),
    postRenderStrategy: Type.Optional(
      StringEnum(["nohooks", "combined", "separate"] as const, {
        description: "Whether and how hooks go through the post-renderers.",
      }),
    ),
    postRenderers: Type.Optional(Type.Array(PostRenderer, { description: "Post-renderers, applied in order." })),
    releaseName: Type.Optional(
      Type.String({ minLength: 1, maxLength: 53, description: "Helm release name; defaults to [targetNamespace-]name." }),
    ),
    rollback: Type.Optional(Rollback),
    serviceAccountName: Type.Optional(
      Type.String({ minLength: 1, maxLength: 253, description: "Service account to impersonate for Helm actions." }),
    ),
    storageNamespace: Type.Optional(
      Type.String({ minLength: 1, maxLength: 63, description: "Namespace of Helm's release records; defaults to the HelmRelease's." }),
    ),
    suspend: Type.Optional(Type.Boolean({ description: "Stop reconciling this object." })),
    targetNamespace: Type.Optional(
      Type.String({ minLength: 1, maxLength: 63, description: "Namespace the release is installed into." }),
    ),
    test: Type.Optional(Test),
    timeout: Type.Optional(Duration("Default time limit of each Helm action; 5m when empty.")),
    uninstall: Type.Optional(Uninstall),
    upgrade: Type.Optional(Upgrade),
    values: Type.Optional(AnyJson({ description: "Values given inline; they win over valuesFrom." })),
    valuesFrom: Type.Optional(Type.Array(ValuesReference, { description: "Values from ConfigMaps and Secrets, merged in order." })),
    waitStrategy: Type.Optional(
      Type.Object(
        { name: StringEnum(["poller", "legacy"] as const, { description: "Which implementation waits for readiness." }) },
        { description: "How Helm waits for resources to become ready." },
      ),
    ),
  }),
  [
    {
      rule: "(has(self.chart) && !has(self.chartRef)) || (!has(self.chart) && has(self.chartRef))",
      message: "set exactly one of chart and chartRef",
    },
  ],
);
export type HelmReleaseSpec = Static<typeof HelmReleaseSpec>;

export const HelmReleaseStatus = Type.Object({
  ...ReconcileStatusFields,
  failures: Type.Optional(Int64({ description: "Failed reconciles since the last success." })),
  helmChart: Type.Optional(Type.String({ description: "<namespace>/<name> of the HelmChart created for spec.chart." })),
  history: Type.Optional(HelmReleaseHistory),
  installFailures: Type.Optional(Int64({ description: "Failed installs since the last success." })),
  inventory: Type.Optional(ResourceInventory),
  lastAttemptedConfigDigest: Type.Optional(Type.String({ description: "Digest of the values last attempted." })),
  lastAttemptedGeneration: Type.Optional(Int64({ description: "Generation of the last attempt." })),
  lastAttemptedReleaseAction: Type.Optional(
    StringEnum(["install", "upgrade"] as const, { description: "Release action of the last attempt." }),
  ),
  lastAttemptedReleaseActionDuration: Type.Optional(Type.String({ description: "How long the last release action took." })),
  lastAttemptedRevision: Type.Optional(Type.String({ description: "Chart version of the last attempt." })),
  lastAttemptedRevisionDigest: Type.Optional(Type.String({ description: "Digest of the OCI chart of the last attempt." })),
  lastAttemptedValuesChecksum: Type.Optional(Type.String({ description: "Deprecated: checksum of the values last attempted." })),
  lastHandledForceAt: Type.Optional(Type.String({ description: "Value of the reconcile.fluxcd.io/forceAt annotation last handled." })),
  lastHandledResetAt: Type.Optional(Type.String({ description: "Value of the reconcile.fluxcd.io/resetAt annotation last handled." })),
  lastReleaseRevision: Type.Optional(Type.Integer({ description: "Deprecated: Helm revision of the last release." })),
  observedCommonMetadataDigest: Type.Optional(Type.String({ description: "Digest of the commonMetadata last applied." })),
  observedPostRenderersDigest: Type.Optional(Type.String({ description: "Digest of the postRenderers last applied." })),
  storageNamespace: Type.Optional(
    Type.String({ minLength: 1, maxLength: 63, description: "Namespace of the Helm release records last written." }),
  ),
  upgradeFailures: Type.Optional(Int64({ description: "Failed upgrades since the last success." })),
});
export type HelmReleaseStatus = Static<typeof HelmReleaseStatus>;

export interface HelmRelease extends KubeObject {
  spec: HelmReleaseSpec;
  status?: HelmReleaseStatus;
}

export const helmReleaseKind: KindDefinition = {
  group: helmGroup,
  version: "v2",
  kind: "HelmRelease",
  plural: "helmreleases",
  singular: "helmrelease",
  shortNames: ["hr"],
  categories: helmCategories,
  description: "A Helm chart released into a cluster, kept up to date on an interval.",
  spec: HelmReleaseSpec,
  status: HelmReleaseStatus,
  statusDefault: helmStatusDefault,
  printerColumns: readyColumns,
};
