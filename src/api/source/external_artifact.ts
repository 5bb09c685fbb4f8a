import type { KindDefinition } from "../kind.ts";
import { readyColumns } from "../kind.ts";
import { Artifact, Conditions, type KubeObject } from "../meta.ts";
import { AnyJson, MapOf, type Static, Type } from "../schema.ts";
import { sourceCategories, sourceGroup } from "./group.ts";

export const ExternalArtifactSourceReference = Type.Object(
  {
    apiVersion: Type.Optional(Type.String({ description: "API version of the producing object." })),
    kind: Type.String({ description: "Kind of the producing object." }),
    name: Type.String({ description: "Name of the producing object." }),
    namespace: Type.Optional(Type.String({ description: "Namespace of the producing object; defaults to this one's." })),
  },
  { description: "The object whose controller produces this artifact." },
);
export type ExternalArtifactSourceReference = Static<typeof ExternalArtifactSourceReference>;

export const ExternalArtifactSpec = Type.Object({
  sourceRef: Type.Optional(ExternalArtifactSourceReference),
});
export type ExternalArtifactSpec = Static<typeof ExternalArtifactSpec>;

/** Written by a third-party controller; source-controller never reconciles it, so there is no observedGeneration. */
export const ExternalArtifactStatus = Type.Object({
  artifact: Type.Optional(Artifact),
  conditions: Type.Optional(Conditions),
  exportedInputs: Type.Optional(
    MapOf(AnyJson(), { description: "Structured values taken from the producing object, for templating consumers." }),
  ),
});
export type ExternalArtifactStatus = Static<typeof ExternalArtifactStatus>;

export interface ExternalArtifact extends KubeObject {
  spec?: ExternalArtifactSpec;
  status?: ExternalArtifactStatus;
}

export const externalArtifactKind: KindDefinition = {
  group: sourceGroup,
  version: "v1",
  kind: "ExternalArtifact",
  plural: "externalartifacts",
  singular: "externalartifact",
  shortNames: ["ea"],
  categories: sourceCategories,
  description: "An artifact produced and served by a controller other than source-controller.",
  spec: ExternalArtifactSpec,
  status: ExternalArtifactStatus,
  printerColumns: [...readyColumns, { name: "Source", type: "string", jsonPath: ".spec.sourceRef.name" }],
};
