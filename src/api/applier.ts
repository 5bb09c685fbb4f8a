/**
 * Pieces shared by the kinds that apply manifests to a cluster (Kustomization, HelmRelease):
 * kustomize patches and images, drift-ignore rules, common metadata and CEL health checks.
 */
import { type Static, StringMap, Type } from "./schema.ts";

/** Both appliers are listed under these kubectl categories. */
export const applierCategories = ["all", "fluxcd", "fluxcd-appliers"];
/** Appliers start at observedGeneration -1 so a fresh object never looks reconciled. */
export const applierStatusDefault = { observedGeneration: -1 };

/** Picks objects by group/version/kind/name/namespace and label or annotation selectors. */
export const ObjectSelector = Type.Object(
  {
    annotationSelector: Type.Optional(Type.String({ description: "Annotation selector, in label-selector syntax." })),
    group: Type.Optional(Type.String({ description: "API group (a regular expression in ignore rules)." })),
    kind: Type.Optional(Type.String({ description: "Kind (a regular expression in ignore rules)." })),
    labelSelector: Type.Optional(Type.String({ description: "Label selector." })),
    name: Type.Optional(Type.String({ description: "Object name (a regular expression in ignore rules)." })),
    namespace: Type.Optional(Type.String({ description: "Namespace (a regular expression in ignore rules)." })),
    version: Type.Optional(Type.String({ description: "API version (a regular expression in ignore rules)." })),
  },
  { description: "Which objects something applies to; every field set must match." },
);
export type ObjectSelector = Static<typeof ObjectSelector>;

/** A strategic-merge or JSON 6902 patch, as kustomize takes it. */
export const Patch = Type.Object(
  {
    patch: Type.String({ description: "The patch body: a partial object, or a YAML list of JSON 6902 operations." }),
    target: Type.Optional(ObjectSelector),
  },
  { description: "A kustomize patch and the objects it is applied to." },
);
export type Patch = Static<typeof Patch>;

/** A kustomize image override. */
export const Image = Type.Object(
  {
    digest: Type.Optional(Type.String({ description: "Digest that replaces the tag; wins over newTag." })),
    name: Type.String({ description: "Image name as written in the manifests." }),
    newName: Type.Optional(Type.String({ description: "Image name to use instead." })),
    newTag: Type.Optional(Type.String({ description: "Tag to use instead." })),
  },
  { description: "Rewrites the name, tag or digest of an image." },
);
export type Image = Static<typeof Image>;

/** JSON pointers left out of drift detection and apply, for the selected objects. */
export const IgnoreRule = Type.Object(
  {
    paths: Type.Array(Type.String(), { description: "RFC 6901 JSON pointers of the fields to ignore." }),
    target: Type.Optional(ObjectSelector),
  },
  { description: "Fields to ignore on some objects; all objects when target is empty." },
);
export type IgnoreRule = Static<typeof IgnoreRule>;

/** Labels and annotations stamped on every object applied. */
export const CommonMetadata = Type.Object(
  {
    annotations: Type.Optional(StringMap({ description: "Annotations added to every object." })),
    labels: Type.Optional(StringMap({ description: "Labels added to every object." })),
  },
  { description: "Metadata added to every applied object, overriding existing keys." },
);
export type CommonMetadata = Static<typeof CommonMetadata>;

/** CEL expressions that compute the health of a custom kind. */
export const CustomHealthCheck = Type.Object(
  {
    apiVersion: Type.String({ description: "API version of the kind; only its group is used." }),
    current: Type.String({ description: "CEL expression that is true once the object is healthy." }),
    failed: Type.Optional(Type.String({ description: "CEL expression that is true when the object has failed." })),
    inProgress: Type.Optional(Type.String({ description: "CEL expression that is true while the object is still progressing." })),
    kind: Type.Optional(Type.String({ description: "Kind the rule is for; every kind of the group when empty." })),
  },
  { description: "A health rule for a kind the built-in checks don't know." },
);
export type CustomHealthCheck = Static<typeof CustomHealthCheck>;
