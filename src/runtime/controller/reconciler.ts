import type { KindDefinition } from "../../api/kind.ts";
import type { KubeObject } from "../../api/meta.ts";
import type { Informer, InformerEvent } from "../cache/informer.ts";
import type { InformerCache, InformerTransform } from "../cache/informer_cache.ts";
import type { EventType } from "../events/event_recorder.ts";
import type { ObjectApi } from "../kube/objects.ts";
import type { ResourceRef } from "../kube/resource_ref.ts";
import type { Logger } from "../ops/logger.ts";

/** What a reconcile gets besides the object: I/O handles, scoped to this object. */
export interface ReconcileContext {
  api: ObjectApi;
  cache: InformerCache;
  log: Logger;
  signal: AbortSignal;
  /** Records a Kubernetes Event on the object and forwards it to --events-addr. */
  event(type: EventType, reason: string, message: string, metadata?: Record<string, string>): Promise<void>;
  /** Queues another object of this controller's kind (e.g. a dependant). */
  enqueue(namespace: string | undefined, name: string): void;
}

export interface ReconcileResult {
  /** Reconcile again after this long (the object's interval); jitter is added. */
  requeueAfterMs?: number;
}

/** A failure with a condition reason; stalled ones are not retried until the spec changes. */
export class ReconcileError extends Error {
  readonly reason: string;
  readonly stalled: boolean;
  /** Retry after this long instead of the exponential backoff. */
  readonly retryAfterMs?: number;

  constructor(reason: string, message: string, opts: { stalled?: boolean; retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = "ReconcileError";
    this.reason = reason;
    this.stalled = opts.stalled ?? false;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

/** A change to another kind that should wake objects of this controller's kind. */
export interface RelatedWatch {
  ref: ResourceRef;
  /** Watch this kind with the manager's namespace and label selector ("namespace": the namespace only). */
  scoped?: boolean | "namespace";
  labelSelector?: string;
  /** Cache less of each object (e.g. a digest of its data): the watch then has an informer of its own. */
  transform?: InformerTransform;
  /** Keys (namespace/name) of the objects to reconcile for this change. */
  map(event: InformerEvent<KubeObject>, primary: Informer<KubeObject>): string[];
}

/**
 * A controller: a reconcile function plus what it watches. The runtime owns the queue, the
 * cache, finalizers, suspend, observedGeneration, requestedAt, the status patch, events and metrics.
 */
export interface Reconciler<T extends KubeObject> {
  /** e.g. "kustomization"; used in logs, metrics and the queue name. */
  name: string;
  kind: KindDefinition;
  /** Added on first sight, removed once finalize has run. */
  finalizer?: string;
  reconcile(obj: T, ctx: ReconcileContext): Promise<ReconcileResult | void>;
  finalize?(obj: T, ctx: ReconcileContext): Promise<void>;
  watches?: RelatedWatch[];
  /** Delay before retrying after a failure; the queue's exponential backoff when undefined. */
  retryAfterMs?(obj: T): number | undefined;
  /** Indexes to register on the primary informer, e.g. by source reference. */
  indexes?: Record<string, (obj: T) => string[]>;
  /** Called once the primary informer exists, e.g. to share it with other components. */
  onInformer?(informer: Informer<T>): void;
}
