import type { KindDefinition } from "../kind.ts";
import { readyColumns } from "../kind.ts";
import { Interval, type KubeObject, LocalObjectReference, Timeout } from "../meta.ts";
import { type Static, StringEnum, StringMap, Type } from "../schema.ts";
import { CertSecretRef, registryProviders, SourceStatusFields } from "./common.ts";
import { sourceCategories, sourceGroup, sourceStatusDefault } from "./group.ts";

export const NamespaceSelector = Type.Object(
  { matchLabels: Type.Optional(StringMap({ description: "Labels a namespace must carry to be selected." })) },
  { description: "Selects namespaces by their labels." },
);

export const AccessFrom = Type.Object(
  {
    namespaceSelectors: Type.Array(NamespaceSelector, { description: "Namespaces allowed access; any match is enough." }),
  },
  { description: "Which other namespaces may use this object (reserved; not enforced)." },
);
export type AccessFrom = Static<typeof AccessFrom>;

export const HelmRepositorySpec = Type.Object({
  accessFrom: Type.Optional(AccessFrom),
  certSecretRef: Type.Optional(CertSecretRef),
  insecure: Type.Optional(Type.Boolean({ description: "Allow a plain-HTTP registry (type oci only)." })),
  interval: Type.Optional(Interval("How often the index is downloaded; not used for type oci.")),
  passCredentials: Type.Optional(
    Type.Boolean({ description: "Also send the credentials when charts are hosted on another host." }),
  ),
  provider: Type.Optional(
    StringEnum(registryProviders, {
      default: "generic",
      description: "Who issues registry credentials (type oci, when no secretRef is set).",
    }),
  ),
  secretRef: Type.Optional({
    ...LocalObjectReference,
    description: "Secret with username and password, or a docker config for type oci.",
  }),
  suspend: Type.Optional(Type.Boolean({ description: "Stop reconciling this object." })),
  timeout: Type.Optional(Timeout("Time limit for fetching the index or pulling from the registry.")),
  type: Type.Optional(
    StringEnum(["default", "oci"] as const, { description: "An HTTP(S) chart repository, or an OCI registry." }),
  ),
  url: Type.String({
    pattern: "^(http|https|oci)://.*$",
    description: "Repository address; oci:// for registries.",
  }),
});
export type HelmRepositorySpec = Static<typeof HelmRepositorySpec>;

export const HelmRepositoryStatus = Type.Object({ ...SourceStatusFields });
export type HelmRepositoryStatus = Static<typeof HelmRepositoryStatus>;

export interface HelmRepository extends KubeObject {
  spec: HelmRepositorySpec;
  status?: HelmRepositoryStatus;
}

export const helmRepositoryKind: KindDefinition = {
  group: sourceGroup,
  version: "v1",
  kind: "HelmRepository",
  plural: "helmrepositories",
  singular: "helmrepository",
  shortNames: ["helmrepo"],
  categories: sourceCategories,
  description: "A Helm chart repository whose index is fetched on an interval, or an OCI registry of charts.",
  spec: HelmRepositorySpec,
  status: HelmRepositoryStatus,
  statusDefault: sourceStatusDefault,
  printerColumns: [{ name: "URL", type: "string", jsonPath: ".spec.url" }, ...readyColumns],
};
