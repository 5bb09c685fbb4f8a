import {
  CommonMetadata,
  CustomHealthCheck,
  IgnoreRule,
  Image,
  Patch,
} from "../applier.ts";
import { ResourceInventory } from "../inventory.ts";
import type { KindDefinition } from "../kind.ts";
import { readyColumns } from "../kind.ts";
import { Duration, Interval, type KubeObject, LocalObjectReference, ReconcileStatusFields } from "../meta.ts";
import {
  CrossNamespaceSourceReference,
  DependencyReference,
  KubeConfigReference,
  SubstituteReference,
} from "../references.ts";
import { type Static, StringEnum, StringMap, Type, withRules } from "../schema.ts";
import { kustomizeCategories, kustomizeGroup, kustomizeStatusDefault } from "./group.ts";
import { KustomizationHistory } from "./history.ts";

/** The source kinds a Kustomization can build from. */
export const kustomizationSourceKinds = ["OCIRepository", "GitRepository", "Bucket", "ExternalArtifact"] as const;

export const Decryption = Type.Object(
  {
    provider: StringEnum(["sops"] as const, { description: "Decryption tool; only sops." }),
    secretRef: Type.Optional(LocalObjectReference),
    serviceAccountName: Type.Optional(
      Type.String({ description: "Service account whose workload identity reaches the key service." }),
    ),
  },
  { description: "How encrypted manifests are decrypted before they are applied." },
);
export type Decryption = Static<typeof Decryption>;

export const PostBuild = Type.Object(
  {
    substitute: Type.Optional(StringMap({ description: "Variables set inline; these win over substituteFrom." })),
    substituteFrom: Type.Optional(
      Type.Array(SubstituteReference, { description: "ConfigMaps and Secrets to read variables from; later ones win." }),
    ),
    substituteStrategy: Type.Optional(
      StringEnum(["WithVariables", "Always"] as const, {
        description: "Substitute only when some variable is set (WithVariables), or always.",
      }),
    ),
  },
  { description: "Variable substitution run on the built manifests." },
);
export type PostBuild = Static<typeof PostBuild>;

export const NamespacedObjectKindReference = Type.Object(
  {
    apiVersion: Type.Optional(Type.String({ description: "API version of the object." })),
    kind: Type.String({ description: "Kind of the object." }),
    name: Type.String({ description: "Name of the object." }),
    namespace: Type.Optional(Type.String({ description: "Namespace of the object." })),
  },
  { description: "An object to check the health of." },
);
export type NamespacedObjectKindReference = Static<typeof NamespacedObjectKindReference>;

export const KustomizationSpec = Type.Object({
  buildMetadata: Type.Optional(
    Type.Array(StringEnum(["originAnnotations", "transformerAnnotations"] as const), {
      description: "Kustomize build metadata to add to the objects.",
    }),
  ),
  commonMetadata: Type.Optional(CommonMetadata),
  components: Type.Optional(Type.Array(Type.String(), { description: "Local paths of kustomize components to include." })),
  decryption: Type.Optional(Decryption),
  deletionPolicy: Type.Optional(
    StringEnum(["MirrorPrune", "Delete", "WaitForTermination", "Orphan"] as const, {
      description: "What happens to the applied objects when the Kustomization is deleted; MirrorPrune follows prune.",
    }),
  ),
  dependsOn: Type.Optional(Type.Array(DependencyReference, { description: "Kustomizations that must be ready first." })),
  force: Type.Optional(Type.Boolean({ default: false, description: "Recreate objects whose immutable fields changed." })),
  healthCheckExprs: Type.Optional(Type.Array(CustomHealthCheck, { description: "CEL health rules for custom kinds." })),
  healthChecks: Type.Optional(
    Type.Array(NamespacedObjectKindReference, { description: "Objects whose health is checked after applying." }),
  ),
  ignore: Type.Optional(Type.Array(IgnoreRule, { description: "Fields left out of drift detection and apply." })),
  ignoreMissingComponents: Type.Optional(Type.Boolean({ description: "Skip components whose path does not exist." })),
  images: Type.Optional(Type.Array(Image, { description: "Image name and tag overrides." })),
  interval: Interval("How often the manifests are built and applied."),
  kubeConfig: Type.Optional(
    withRules(KubeConfigReference, [
      { rule: "has(self.configMapRef) != has(self.secretRef)", message: "set exactly one of configMapRef and secretRef" },
    ]),
  ),
  namePrefix: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "Prefix added to every object name." })),
  nameSuffix: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "Suffix added to every object name." })),
  patches: Type.Optional(Type.Array(Patch, { description: "Patches applied to the built objects." })),
  path: Type.Optional(Type.String({ description: "Directory in the artifact to build; the root when empty." })),
  postBuild: Type.Optional(PostBuild),
  prune: Type.Boolean({ description: "Delete objects that are no longer in the source." }),
  retryInterval: Type.Optional(Duration("How soon a failed reconcile is retried; defaults to interval.")),
  serviceAccountName: Type.Optional(Type.String({ description: "Service account to impersonate when applying." })),
  sourceRef: CrossNamespaceSourceReference(kustomizationSourceKinds),
  suspend: Type.Optional(Type.Boolean({ description: "Stop reconciling this object." })),
  targetNamespace: Type.Optional(
    Type.String({ minLength: 1, maxLength: 63, description: "Namespace set on every namespaced object." }),
  ),
  timeout: Type.Optional(Duration("Time limit for building, applying and health checks.")),
  wait: Type.Optional(Type.Boolean({ description: "Check the health of every applied object; healthChecks is then ignored." })),
});
export type KustomizationSpec = Static<typeof KustomizationSpec>;

export const KustomizationStatus = Type.Object({
  ...ReconcileStatusFields,
  history: Type.Optional(KustomizationHistory),
  inventory: Type.Optional(ResourceInventory),
  lastAppliedOriginRevision: Type.Optional(Type.String({ description: "Origin revision of the artifact last applied." })),
  lastAppliedRevision: Type.Optional(Type.String({ description: "Source revision last applied successfully." })),
  lastAttemptedRevision: Type.Optional(Type.String({ description: "Source revision of the last attempt." })),
});
export type KustomizationStatus = Static<typeof KustomizationStatus>;

export interface Kustomization extends KubeObject {
  spec: KustomizationSpec;
  status?: KustomizationStatus;
}

export const kustomizationKind: KindDefinition = {
  group: kustomizeGroup,
  version: "v1",
  kind: "Kustomization",
  plural: "kustomizations",
  singular: "kustomization",
  shortNames: ["ks"],
  categories: kustomizeCategories,
  description: "Manifests from a source, built with kustomize and applied to a cluster on an interval.",
  spec: KustomizationSpec,
  status: KustomizationStatus,
  statusDefault: kustomizeStatusDefault,
  printerColumns: readyColumns,
};
