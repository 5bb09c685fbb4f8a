import type { KindDefinition } from "../kind.ts";
import { ageColumn } from "../kind.ts";
import { type KubeObject, LocalObjectReference } from "../meta.ts";
import { type Static, StringEnum, StringMap, Type } from "../schema.ts";
import { notificationCategories, notificationGroup } from "./group.ts";
import { CrossNamespaceObjectReference } from "./object_reference.ts";

export const AlertSpec = Type.Object({
  eventMetadata: Type.Optional(StringMap({ description: "Extra metadata attached to every event sent on." })),
  eventSeverity: Type.Optional(
    StringEnum(["info", "error"] as const, {
      default: "info",
      description: "Lowest severity sent on: info passes everything, error only errors.",
    }),
  ),
  eventSources: Type.Array(CrossNamespaceObjectReference, { description: "Objects whose events this Alert forwards." }),
  exclusionList: Type.Optional(
    Type.Array(Type.String(), { description: "Go regular expressions; events whose message matches one are dropped." }),
  ),
  inclusionList: Type.Optional(
    Type.Array(Type.String(), { description: "Go regular expressions; when set, only matching messages are sent." }),
  ),
  providerRef: LocalObjectReference,
  summary: Type.Optional(Type.String({ maxLength: 255, description: "Deprecated: use eventMetadata.summary instead." })),
  suspend: Type.Optional(Type.Boolean({ description: "Stop forwarding events for this Alert." })),
});
export type AlertSpec = Static<typeof AlertSpec>;

export interface Alert extends KubeObject {
  spec: AlertSpec;
}

export const alertKind: KindDefinition = {
  group: notificationGroup,
  version: "v1beta3",
  kind: "Alert",
  plural: "alerts",
  singular: "alert",
  categories: notificationCategories,
  description: "Which events of which objects are sent to a Provider.",
  spec: AlertSpec,
  printerColumns: [ageColumn],
};
