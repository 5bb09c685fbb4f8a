/** References the appliers (Kustomization, HelmRelease) make to sources, clusters, dependencies and config objects. */
import { LocalObjectReference, SecretKeyReference } from "./meta.ts";
import { type Static, StringEnum, Type } from "./schema.ts";

/** Length limits some kinds put on a reference's name (253) and namespace (63). */
export interface ReferenceBounds {
  bounded?: boolean;
}

/** A reference to a source object of one of the given kinds, possibly in another namespace. */
export function CrossNamespaceSourceReference<const K extends readonly string[]>(
  kinds: K,
  { bounded = false }: ReferenceBounds = {},
) {
  const name = bounded ? { minLength: 1, maxLength: 253 } : {};
  const namespace = bounded ? { minLength: 1, maxLength: 63 } : {};
  return Type.Object(
    {
      apiVersion: Type.Optional(Type.String({ description: "API version of the source." })),
      kind: StringEnum(kinds, { description: "Kind of the source." }),
      name: Type.String({ ...name, description: "Name of the source." }),
      namespace: Type.Optional(
        Type.String({ ...namespace, description: "Namespace of the source; defaults to the referrer's." }),
      ),
    },
    { description: "The source object that supplies the artifact." },
  );
}

/**
 * How to reach a remote cluster: a Secret holding a kubeconfig, or a ConfigMap describing
 * workload-identity access. Kinds attach their own rule that exactly one of the two is set.
 */
export const KubeConfigReference = Type.Object(
  {
    configMapRef: Type.Optional(LocalObjectReference),
    secretRef: Type.Optional(SecretKeyReference),
  },
  { description: "Credentials for a remote cluster to act on instead of the local one." },
);
export type KubeConfigReference = Static<typeof KubeConfigReference>;

/** Another object of the same kind that has to be ready first. */
export const DependencyReference = Type.Object(
  {
    name: Type.String({ description: "Name of the dependency." }),
    namespace: Type.Optional(Type.String({ description: "Namespace of the dependency; defaults to the dependant's." })),
    readyExpr: Type.Optional(
      Type.String({ description: "CEL expression over `self` and `dep` deciding whether the dependency is ready." }),
    ),
  },
  { description: "An object that must be ready before this one is reconciled." },
);
export type DependencyReference = Static<typeof DependencyReference>;

/** A ConfigMap or Secret whose data supplies post-build substitution variables. */
export const SubstituteReference = Type.Object({
  kind: StringEnum(["Secret", "ConfigMap"] as const, { description: "Kind of the object holding the variables." }),
  name: Type.String({ minLength: 1, maxLength: 253, description: "Name of the object, in the referrer's namespace." }),
  optional: Type.Optional(
    Type.Boolean({ default: false, description: "Treat a missing object as empty instead of failing." }),
  ),
});
export type SubstituteReference = Static<typeof SubstituteReference>;
