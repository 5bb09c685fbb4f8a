/** Types shared by every Flux kind: object metadata, references, conditions, artifacts, durations. */
import { Int64, type Static, StringEnum, StringMap, Timestamp, Type } from "./schema.ts";

/** Go duration with hours allowed (intervals). */
export const intervalPattern = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$";
/** Go duration without hours (timeouts). */
export const timeoutPattern = "^([0-9]+(\\.[0-9]+)?(ms|s|m))+$";

export const Interval = (description?: string) => Type.String({ pattern: intervalPattern, description });
export const Timeout = (description?: string) => Type.String({ pattern: timeoutPattern, description });
/** Any other Go duration where hours are allowed (e.g. the appliers' timeouts and retry intervals). */
export const Duration = (description?: string) => Type.String({ pattern: intervalPattern, description });

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: Array<{ apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }>;
  managedFields?: unknown[];
}

/** Every Kubernetes object as read from the API. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export const LocalObjectReference = Type.Object(
  { name: Type.String({ description: "Name of the referent." }) },
  { description: "A reference to an object in the same namespace." },
);
export type LocalObjectReference = Static<typeof LocalObjectReference>;

export const SecretKeyReference = Type.Object({
  name: Type.String({ description: "Name of the Secret." }),
  key: Type.Optional(Type.String({ description: "Key in the Secret, when not the default." })),
});
export type SecretKeyReference = Static<typeof SecretKeyReference>;

export const NamespacedObjectReference = Type.Object({
  name: Type.String({ description: "Name of the referent." }),
  namespace: Type.Optional(Type.String({ description: "Namespace of the referent; defaults to the referrer's." })),
});
export type NamespacedObjectReference = Static<typeof NamespacedObjectReference>;

export const conditionTypePattern =
  "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$";
export const conditionReasonPattern = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$";

/** metav1.Condition, with the API server's own validation. */
export const Condition = Type.Object(
  {
    lastTransitionTime: Timestamp({ description: "When the condition last changed status." }),
    message: Type.String({ maxLength: 32768, description: "Human-readable details." }),
    observedGeneration: Type.Optional(Int64({ minimum: 0, description: "Generation the condition was set for." })),
    reason: Type.String({
      maxLength: 1024,
      minLength: 1,
      pattern: conditionReasonPattern,
      description: "Programmatic identifier for the last transition, CamelCase.",
    }),
    status: StringEnum(["True", "False", "Unknown"] as const, { description: "Status of the condition." }),
    type: Type.String({ maxLength: 316, pattern: conditionTypePattern, description: "Type of the condition, CamelCase." }),
  },
  { description: "The state of one aspect of the object." },
);
export type Condition = Static<typeof Condition>;

export const Conditions = Type.Array(Condition, { description: "Latest observations of the object's state." });

export const digestPattern = "^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$";

/** A file produced by a source: what consumers download. */
export const Artifact = Type.Object(
  {
    digest: Type.String({ pattern: digestPattern, description: "<algorithm>:<hex> of the file." }),
    lastUpdateTime: Timestamp({ description: "When the file was last written." }),
    metadata: Type.Optional(StringMap({ description: "Upstream metadata, e.g. OCI annotations." })),
    path: Type.String({ description: "Path of the file relative to the storage root." }),
    revision: Type.String({ description: "Human-readable upstream identifier, e.g. main@sha1:<hex>." }),
    size: Type.Optional(Int64({ description: "Size of the file in bytes." })),
    url: Type.String({ description: "HTTP address the file is served at." }),
  },
  { description: "An artifact produced by a source." },
);
export type Artifact = Static<typeof Artifact>;

/** Fields every Flux status has: observedGeneration, conditions and the requestedAt handshake. */
export const ReconcileStatusFields = {
  conditions: Type.Optional(Conditions),
  lastHandledReconcileAt: Type.Optional(
    Type.String({ description: "Value of the reconcile.fluxcd.io/requestedAt annotation last handled." }),
  ),
  observedGeneration: Type.Optional(Int64({ description: "Last generation reconciled." })),
};

/** Annotation and label keys shared by every controller. */
export const annotations = {
  requestedAt: "reconcile.fluxcd.io/requestedAt",
  forceAt: "reconcile.fluxcd.io/forceAt",
  resetAt: "reconcile.fluxcd.io/resetAt",
  reconcile: "kustomize.toolkit.fluxcd.io/reconcile",
} as const;
