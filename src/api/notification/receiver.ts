import type { KindDefinition } from "../kind.ts";
import { readyColumns } from "../kind.ts";
import { Interval, type KubeObject, LocalObjectReference, ReconcileStatusFields } from "../meta.ts";
import { type Static, StringEnum, Type, withRules } from "../schema.ts";
import { notificationCategories, notificationGroup, notificationStatusDefault } from "./group.ts";
import { crossNamespaceObjectReferenceFields } from "./object_reference.ts";

export const receiverTypes = [
  "generic",
  "generic-hmac",
  "generic-oidc",
  "github",
  "gitlab",
  "bitbucket",
  "harbor",
  "dockerhub",
  "quay",
  "gcr",
  "nexus",
  "acr",
  "cdevents",
] as const;

export const ReceiverResource = Type.Object(
  {
    ...crossNamespaceObjectReferenceFields,
    filter: Type.Optional(Type.String({ description: "CEL expression; the object is only triggered when it is true." })),
  },
  { description: "Objects to reconcile when a valid request arrives." },
);
export type ReceiverResource = Static<typeof ReceiverResource>;

export const OidcVariable = Type.Object({
  expression: Type.String({ description: "CEL expression over the token claims." }),
  name: Type.String({ description: "Name the value is available under, as vars.<name>." }),
});
export type OidcVariable = Static<typeof OidcVariable>;

export const OidcValidation = Type.Object({
  expression: Type.String({ description: "CEL expression that must be true for the token to be accepted." }),
  message: Type.String({ description: "Reason given when the expression is false." }),
});
export type OidcValidation = Static<typeof OidcValidation>;

export const OidcProvider = Type.Object(
  {
    audience: Type.Optional(Type.String({ description: "Expected aud claim; defaults to notification-controller." })),
    issuerURL: Type.String({ pattern: "^https?://", description: "Issuer of the tokens, used for discovery." }),
    validations: Type.Array(OidcValidation, { minItems: 1, description: "Checks every token must pass." }),
    variables: Type.Optional(Type.Array(OidcVariable, { description: "Values computed from the claims, in order." })),
  },
  { description: "An OIDC issuer whose tokens a generic-oidc Receiver accepts." },
);
export type OidcProvider = Static<typeof OidcProvider>;

export const ReceiverSpec = withRules(
  Type.Object({
    events: Type.Optional(
      Type.Array(Type.String(), { description: "Event types to act on (case-insensitive); all when empty." }),
    ),
    interval: Type.Optional({ ...Interval("How often the Receiver is reconciled."), default: "10m" }),
    oidcProviders: Type.Optional(
      Type.Array(OidcProvider, { description: "Issuers trusted by a generic-oidc Receiver." }),
    ),
    resourceFilter: Type.Optional(
      Type.String({ description: "CEL expression applied to every resource, together with its own filter." }),
    ),
    resources: Type.Array(ReceiverResource, { description: "Objects to reconcile when a valid request arrives." }),
    secretRef: Type.Optional({
      ...LocalObjectReference,
      description: "Secret holding the token that the webhook path and request checks derive from.",
    }),
    suspend: Type.Optional(Type.Boolean({ description: "Reject incoming requests and stop reconciling." })),
    type: StringEnum(receiverTypes, { description: "Who sends the requests, which decides how they are validated." }),
  }),
  [
    { rule: "self.type != 'generic-oidc' || !has(self.secretRef)", message: "secretRef must not be set for type generic-oidc" },
    {
      rule: "self.type != 'generic-oidc' || (has(self.oidcProviders) && size(self.oidcProviders) > 0)",
      message: "oidcProviders needs at least one entry for type generic-oidc",
    },
    {
      rule: "self.type == 'generic-oidc' || !has(self.oidcProviders) || size(self.oidcProviders) == 0",
      message: "oidcProviders can only be set for type generic-oidc",
    },
    { rule: "self.type == 'generic-oidc' || has(self.secretRef)", message: "secretRef is required unless type is generic-oidc" },
  ],
);
export type ReceiverSpec = Static<typeof ReceiverSpec>;

export const ReceiverStatus = Type.Object({
  ...ReconcileStatusFields,
  webhookPath: Type.Optional(Type.String({ description: "Path, under the receiver server, that accepts requests." })),
});
export type ReceiverStatus = Static<typeof ReceiverStatus>;

export interface Receiver extends KubeObject {
  spec: ReceiverSpec;
  status?: ReceiverStatus;
}

export const receiverKind: KindDefinition = {
  group: notificationGroup,
  version: "v1",
  kind: "Receiver",
  plural: "receivers",
  singular: "receiver",
  categories: notificationCategories,
  description: "A webhook that, on a valid request, asks Flux objects to reconcile now.",
  spec: ReceiverSpec,
  status: ReceiverStatus,
  statusDefault: notificationStatusDefault,
  printerColumns: readyColumns,
};
