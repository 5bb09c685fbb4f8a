import type { KindDefinition } from "../kind.ts";
import { ageColumn, readyColumns } from "../kind.ts";
import { Interval, type KubeObject, LocalObjectReference, Timeout } from "../meta.ts";
import { type Static, StringEnum, Type } from "../schema.ts";
import { CertSecretRef, ociVerificationFields, ProxySecretRef, registryProviders, SourceStatusFields } from "./common.ts";
import { sourceCategories, sourceGroup, sourceStatusDefault } from "./group.ts";

export const OCIRepositoryRef = Type.Object(
  {
    digest: Type.Optional(Type.String({ description: "Image digest, e.g. sha256:<hex>; wins over every other field." })),
    semver: Type.Optional(Type.String({ description: "Semver range; the highest matching tag is pulled. Wins over tag." })),
    semverFilter: Type.Optional(Type.String({ description: "Regular expression tags must match before semver applies." })),
    tag: Type.Optional(Type.String({ description: "Tag to pull; defaults to latest." })),
  },
  { description: "Which artifact in the repository to pull." },
);
export type OCIRepositoryRef = Static<typeof OCIRepositoryRef>;

export const OCILayerSelector = Type.Object(
  {
    mediaType: Type.Optional(Type.String({ description: "Media type of the layer to use; the first layer when empty." })),
    operation: Type.Optional(
      StringEnum(["extract", "copy"] as const, {
        description: "Unpack the layer (extract, the default) or store it unchanged (copy).",
      }),
    ),
  },
  { description: "Which layer of the artifact becomes the stored file, and how." },
);
export type OCILayerSelector = Static<typeof OCILayerSelector>;

export const OCIRepositoryVerification = Type.Object(
  {
    ...ociVerificationFields,
    trustedRootSecretRef: Type.Optional({
      ...LocalObjectReference,
      description: "Secret with a trusted_root.json replacing the public Sigstore roots (cosign).",
    }),
  },
  { description: "Signature check of the pulled artifact." },
);

export const OCIRepositorySpec = Type.Object({
  certSecretRef: Type.Optional(CertSecretRef),
  ignore: Type.Optional(Type.String({ description: ".gitignore-style rules for files left out of the artifact." })),
  insecure: Type.Optional(Type.Boolean({ description: "Allow a plain-HTTP registry or an unverified TLS certificate." })),
  interval: Type.Optional(Interval("How often the registry is checked for a new artifact; required.")),
  layerSelector: Type.Optional(OCILayerSelector),
  provider: Type.Optional(
    StringEnum(registryProviders, { description: "Who issues registry credentials; generic when empty." }),
  ),
  proxySecretRef: Type.Optional(ProxySecretRef),
  ref: Type.Optional(OCIRepositoryRef),
  secretRef: Type.Optional({
    ...LocalObjectReference,
    description: "Secret of type kubernetes.io/dockerconfigjson with registry credentials.",
  }),
  serviceAccountName: Type.Optional(
    Type.String({ description: "Service account whose image pull secrets or identity are used." }),
  ),
  suspend: Type.Optional(Type.Boolean({ description: "Stop reconciling this object." })),
  timeout: Type.Optional(Timeout("Time limit for registry operations; 60s when empty.")),
  url: Type.Optional(
    Type.String({ pattern: "^oci://.*$", description: "Repository address without tag or digest; required." }),
  ),
  verify: Type.Optional(OCIRepositoryVerification),
});
export type OCIRepositorySpec = Static<typeof OCIRepositorySpec>;

export const OCIRepositoryStatus = Type.Object({
  ...SourceStatusFields,
  observedIgnore: Type.Optional(Type.String({ description: "ignore rules applied to the current artifact." })),
  observedLayerSelector: Type.Optional(OCILayerSelector),
  sourceVerificationFingerprint: Type.Optional(
    Type.String({ description: "Fingerprint of the keys that verified the artifact, to notice key rotation." }),
  ),
});
export type OCIRepositoryStatus = Static<typeof OCIRepositoryStatus>;

export interface OCIRepository extends KubeObject {
  spec: OCIRepositorySpec;
  status?: OCIRepositoryStatus;
}

export const ociRepositoryKind: KindDefinition = {
  group: sourceGroup,
  version: "v1",
  kind: "OCIRepository",
  plural: "ocirepositories",
  singular: "ocirepository",
  shortNames: ["ocirepo"],
  categories: sourceCategories,
  description: "An OCI artifact in a container registry, pulled on an interval and stored as an artifact.",
  spec: OCIRepositorySpec,
  status: OCIRepositoryStatus,
  statusDefault: sourceStatusDefault,
  // url and interval are optional in the spec schema but required by these object-level rules.
  rules: [
    { rule: "has(self.spec) && has(self.spec.url)", message: "spec.url must be set" },
    { rule: "has(self.spec) && has(self.spec.interval)", message: "spec.interval must be set" },
  ],
  // Unlike the other sources, Age comes last.
  printerColumns: [{ name: "URL", type: "string", jsonPath: ".spec.url" }, ...readyColumns.slice(1), ageColumn],
};
