import type { KindDefinition } from "../kind.ts";
import { readyColumns } from "../kind.ts";
import { Interval, type KubeObject } from "../meta.ts";
import { type Static, StringEnum, Type, withRules } from "../schema.ts";
import { ociVerificationFields, SourceStatusFields } from "./common.ts";
import { sourceCategories, sourceGroup, sourceStatusDefault } from "./group.ts";

export const HelmChartSourceReference = Type.Object(
  {
    apiVersion: Type.Optional(Type.String({ description: "API version of the source." })),
    kind: StringEnum(["HelmRepository", "GitRepository", "Bucket"] as const, { description: "Kind of the source." }),
    name: Type.String({ description: "Name of the source." }),
  },
  { description: "The source the chart comes from, in the same namespace." },
);
export type HelmChartSourceReference = Static<typeof HelmChartSourceReference>;

export const HelmChartVerification = Type.Object(ociVerificationFields, {
  description: "Signature check of charts pulled from an OCI HelmRepository.",
});

export const HelmChartSpec = withRules(
  Type.Object({
    chart: Type.String({ description: "Chart name in the repository, or its path within a Git or Bucket artifact." }),
    ignoreMissingValuesFiles: Type.Optional(
      Type.Boolean({ description: "Skip values files that do not exist instead of failing." }),
    ),
    interval: Interval("How often the source is checked for a new chart."),
    reconcileStrategy: Type.Optional(
      StringEnum(["ChartVersion", "Revision"] as const, {
        default: "ChartVersion",
        description: "Build a new artifact per chart version, or per source revision (Git and Bucket).",
      }),
    ),
    sourceRef: HelmChartSourceReference,
    suspend: Type.Optional(Type.Boolean({ description: "Stop reconciling this object." })),
    valuesFiles: Type.Optional(
      Type.Array(Type.String(), { description: "Values files merged in order into the chart's values.yaml." }),
    ),
    verify: Type.Optional(HelmChartVerification),
    version: Type.Optional(
      Type.String({ default: "*", description: "Semver range or exact version; HelmRepository sources only." }),
    ),
  }),
  [
    {
      rule: "!has(self.verify) || self.sourceRef.kind == 'HelmRepository'",
      message: "verify can only be set when the source is a HelmRepository",
    },
  ],
);
export type HelmChartSpec = Static<typeof HelmChartSpec>;

export const HelmChartStatus = Type.Object({
  ...SourceStatusFields,
  observedChartName: Type.Optional(Type.String({ description: "Chart name last resolved." })),
  observedSourceArtifactRevision: Type.Optional(
    Type.String({ description: "Revision of the source artifact last built from." }),
  ),
  observedValuesFiles: Type.Optional(
    Type.Array(Type.String(), { description: "Values files actually merged into the last build." }),
  ),
});
export type HelmChartStatus = Static<typeof HelmChartStatus>;

export interface HelmChart extends KubeObject {
  spec: HelmChartSpec;
  status?: HelmChartStatus;
}

export const helmChartKind: KindDefinition = {
  group: sourceGroup,
  version: "v1",
  kind: "HelmChart",
  plural: "helmcharts",
  singular: "helmchart",
  shortNames: ["hc"],
  categories: sourceCategories,
  description: "A Helm chart pulled or packaged from a source and stored as an artifact.",
  spec: HelmChartSpec,
  status: HelmChartStatus,
  statusDefault: sourceStatusDefault,
  printerColumns: [
    { name: "Chart", type: "string", jsonPath: ".spec.chart" },
    { name: "Version", type: "string", jsonPath: ".spec.version" },
    { name: "Source Kind", type: "string", jsonPath: ".spec.sourceRef.kind" },
    { name: "Source Name", type: "string", jsonPath: ".spec.sourceRef.name" },
    ...readyColumns,
  ],
};
