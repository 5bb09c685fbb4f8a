/** References from notification kinds (Alert event sources, Receiver resources) to Flux objects. */
import { type Static, StringEnum, StringMap, Type } from "../schema.ts";

/** The Flux kinds an Alert can watch and a Receiver can trigger. */
export const notifiableKinds = [
  "Bucket",
  "GitRepository",
  "Kustomization",
  "HelmRelease",
  "HelmChart",
  "HelmRepository",
  "ImageRepository",
  "ImagePolicy",
  "ImageUpdateAutomation",
  "OCIRepository",
  "ArtifactGenerator",
  "ExternalArtifact",
] as const;

/** Fields of a CrossNamespaceObjectReference, for schemas that add their own. */
export const crossNamespaceObjectReferenceFields = {
  apiVersion: Type.Optional(Type.String({ description: "API version of the referent; defaulted for well-known kinds." })),
  kind: StringEnum(notifiableKinds, { description: "Kind of the referent." }),
  matchLabels: Type.Optional(
    StringMap({ description: "Labels the referents must carry; only used when name is '*'." }),
  ),
  name: Type.String({ minLength: 1, maxLength: 253, description: "Name of the referent, or '*' for all of that kind." }),
  namespace: Type.Optional(
    Type.String({ minLength: 1, maxLength: 253, description: "Namespace of the referent; defaults to the referrer's." }),
  ),
};

export const CrossNamespaceObjectReference = Type.Object(crossNamespaceObjectReferenceFields, {
  description: "A Flux object, or a set of them, possibly in another namespace.",
});
export type CrossNamespaceObjectReference = Static<typeof CrossNamespaceObjectReference>;
