/** Where a HelmRelease gets its chart: a HelmChart it creates from a template, or an existing source object. */
import { CommonMetadata } from "../applier.ts";
import { Interval, LocalObjectReference } from "../meta.ts";
import { CrossNamespaceSourceReference } from "../references.ts";
import { type Static, StringEnum, Type } from "../schema.ts";

/** Source kinds a templated HelmChart can fetch the chart from. */
export const chartTemplateSourceKinds = ["HelmRepository", "GitRepository", "Bucket"] as const;
/** Source kinds spec.chartRef can point at. */
export const chartRefKinds = ["OCIRepository", "HelmChart", "ExternalArtifact"] as const;

export const HelmChartTemplateVerification = Type.Object(
  {
    provider: StringEnum(["cosign", "notation"] as const, {
      default: "cosign",
      description: "Signing tool the chart was signed with.",
    }),
    secretRef: Type.Optional(LocalObjectReference),
  },
  { description: "Signature verification of OCI charts." },
);

export const HelmChartTemplateSpec = Type.Object(
  {
    chart: Type.String({
      minLength: 1,
      maxLength: 2048,
      description: "Chart name in a Helm repository, or chart path in a Git repository or bucket.",
    }),
    ignoreMissingValuesFiles: Type.Optional(Type.Boolean({ description: "Skip values files that do not exist." })),
    interval: Type.Optional(Interval("How often the chart is checked; defaults to the HelmRelease's interval.")),
    reconcileStrategy: Type.Optional(
      StringEnum(["ChartVersion", "Revision"] as const, {
        default: "ChartVersion",
        description: "Whether a new chart artifact needs a new chart version or just a new source revision.",
      }),
    ),
    sourceRef: CrossNamespaceSourceReference(chartTemplateSourceKinds, { bounded: true }),
    valuesFiles: Type.Optional(
      Type.Array(Type.String(), { description: "Values files merged in order, replacing the chart's default values." }),
    ),
    verify: Type.Optional(HelmChartTemplateVerification),
    version: Type.Optional(
      Type.String({ default: "*", description: "Semver range of the chart version; unused for Git and bucket sources." }),
    ),
  },
  { description: "Spec of the HelmChart created for this release." },
);
export type HelmChartTemplateSpec = Static<typeof HelmChartTemplateSpec>;

export const HelmChartTemplate = Type.Object(
  {
    metadata: Type.Optional({ ...CommonMetadata, description: "Labels and annotations of the created HelmChart." }),
    spec: HelmChartTemplateSpec,
  },
  { description: "Template of a HelmChart the controller creates and keeps in sync." },
);
export type HelmChartTemplate = Static<typeof HelmChartTemplate>;

export const HelmChartReference = CrossNamespaceSourceReference(chartRefKinds, { bounded: true });
export type HelmChartReference = Static<typeof HelmChartReference>;
