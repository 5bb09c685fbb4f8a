import { randomUUID } from "node:crypto";
import type { KubeObject } from "../../api/meta.ts";
import { annotations } from "../../api/meta.ts";
import type { Informer, InformerEvent } from "../cache/informer.ts";
import type { InformerCache } from "../cache/informer_cache.ts";
import type { EventRecorder } from "../events/event_recorder.ts";
import { isNotFound, isServerUnavailable } from "../kube/api_error.ts";
import type { ObjectApi } from "../kube/objects.ts";
import { objectKey, parseObjectKey, refOfKind, type ResourceRef } from "../kube/resource_ref.ts";
import type { Logger } from "../ops/logger.ts";
import type { Metrics } from "../ops/metrics.ts";
import { type BackoffOptions, WorkQueue } from "../queue/work_queue.ts";
import { findCondition, markFailed, markStalled, ready } from "../status/conditions.ts";
import { mergePatchDiff } from "../status/merge_patch.ts";
import { type ReconcileContext, ReconcileError, type Reconciler } from "./reconciler.ts";
import { jitter, needsReconcile, withoutAddedFinalizer } from "./triggers.ts";

export interface ControllerDeps {
  api: ObjectApi;
  cache: InformerCache;
  metrics: Metrics;
  log: Logger;
  recorder: EventRecorder;
  concurrency: number;
  backoff?: BackoffOptions;
  /** Fraction of the interval added at random to requeues (spreads a fleet's polls). */
  intervalJitter?: number;
}

interface Spec {
  suspend?: boolean;
}

/** Runs one Reconciler: watches, queue, workers, and the Flux reconcile conventions around it. */
export class Controller<T extends KubeObject> {
  readonly queue: WorkQueue;
  readonly informer: Informer<T>;
  readonly ref: ResourceRef;
  readonly #r: Reconciler<T>;
  readonly #deps: ControllerDeps;
  readonly #log: Logger;
  /**
   * The object as we last wrote it (finalizer, status), used while the cache still shows one of the
   * versions it supersedes: a reconcile must not start from a status older than our own write.
   */
  readonly #written = new Map<string, { superseded: Set<string>; object: T }>();
  readonly #abort = new AbortController();
  readonly #workers: Promise<void>[] = [];

  constructor(reconciler: Reconciler<T>, deps: ControllerDeps) {
    this.#r = reconciler;
    this.#deps = deps;
    this.#log = deps.log.child({ controller: reconciler.name, kind: reconciler.kind.kind });
    const m = deps.metrics;
    const name = reconciler.name;
    this.queue = new WorkQueue(deps.backoff, {
      onAdd: () => m.queueAdds.inc({ name }),
      onRetry: () => m.queueRetries.inc({ name }),
      onDepth: (d) => m.queueDepth.set({ name }, d),
      onLatency: (s) => m.queueLatency.observe({ name }, s),
    });
    this.ref = refOfKind(reconciler.kind);
    deps.api.discovery.seed(this.ref);
    this.informer = deps.cache.informer<T>(this.ref, { scoped: true });
    for (const [name, fn] of Object.entries(reconciler.indexes ?? {})) this.informer.addIndex(name, fn);
    reconciler.onInformer?.(this.informer);
    this.informer.on((ev) => this.#onPrimary(ev));
    for (const w of reconciler.watches ?? []) {
      deps.cache
        .informer(w.ref, { scoped: w.scoped, labelSelector: w.labelSelector, transform: w.transform })
        .on((ev) => {
          for (const key of w.map(ev, this.informer as unknown as Informer<KubeObject>)) this.queue.add(key);
        });
    }
  }

  /** Starts the workers; call once the cache has synced and (if used) leadership is held. */
  start(): void {
    for (let i = 0; i < this.#deps.concurrency; i++) this.#workers.push(this.#worker());
  }

  /** Stops taking work and waits for reconciles in flight, at most timeoutMs. */
  async stop(timeoutMs: number): Promise<void> {
    this.queue.shutDown();
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
    await Promise.race([Promise.all(this.#workers), timeout]);
    this.#abort.abort();
  }

  enqueue(namespace: string | undefined, name: string): void {
    this.queue.add(objectKey(namespace, name));
  }

  #onPrimary(ev: InformerEvent<T>): void {
    const key = objectKey(ev.object.metadata.namespace, ev.object.metadata.name!);
    const written = this.#written.get(key);
    if (written && (ev.type === "delete" || !written.superseded.has(ev.object.metadata.resourceVersion!))) this.#written.delete(key);
    if (ev.type === "update" && !needsReconcile(ev.old!, withoutAddedFinalizer(ev.old!, ev.object, this.#r.finalizer))) return;
    this.queue.add(key);
  }

  async #worker(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        await this.#process(key);
      } catch (err) {
        this.#log.error({ key, err: errorText(err) }, "reconcile crashed");
        this.queue.addRateLimited(key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  #current(key: string): T | undefined {
    const { namespace, name } = parseObjectKey(key);
    const cached = this.informer.get(namespace, name);
    const written = this.#written.get(key);
    if (!written) return cached;
    if (cached && !written.superseded.has(cached.metadata.resourceVersion!)) {
      this.#written.delete(key);
      return cached;
    }
    return cached ? written.object : undefined;
  }

  async #process(key: string): Promise<void> {
    const cached = this.#current(key);
    const kind = this.#r.kind.kind;
    const { namespace, name } = parseObjectKey(key);
    if (!cached) {
      this.#written.delete(key);
      this.queue.forget(key);
      this.#deps.metrics.forget(kind, namespace ?? "", name);
      return;
    }
    let obj = structuredClone(cached);
    const reconcileID = randomUUID();
    const log = this.#log.child({ namespace, name, reconcileID });
    const ctx = this.#context(obj, log);
    const finalizer = this.#r.finalizer;

    if (obj.metadata.deletionTimestamp) {
      if (finalizer && obj.metadata.finalizers?.includes(finalizer)) {
        try {
          await this.#r.finalize?.(obj, ctx);
        } catch (err) {
          await this.#finalizeFailed(key, cached, obj, err, log, ctx);
          return;
        }
        await this.#removeFinalizer(obj, finalizer);
        log.info("finalized");
      }
      this.#deps.metrics.forget(kind, namespace ?? "", name);
      return;
    }
    // Versions the cache may still show that are older than what this pass starts from.
    const superseded = new Set([...(this.#written.get(key)?.superseded ?? []), cached.metadata.resourceVersion!]);
    if (finalizer && !obj.metadata.finalizers?.includes(finalizer)) {
      const updated = await this.#addFinalizer(obj, finalizer);
      if (!updated) return;
      obj = updated;
      superseded.add(obj.metadata.resourceVersion!);
      this.#written.set(key, { superseded, object: structuredClone(obj) });
    }
    const suspended = (obj as unknown as { spec?: Spec }).spec?.suspend === true;
    this.#deps.metrics.suspended.set({ kind, name, namespace: namespace ?? "" }, suspended ? 1 : 0);
    if (suspended) {
      log.debug("suspended; skipping");
      return;
    }

    const before = structuredClone((obj as { status?: unknown }).status);
    const started = performance.now();
    let requeueAfterMs: number | undefined;
    let retry: "backoff" | number | undefined;
    let result = "success";
    try {
      requeueAfterMs = (await this.#r.reconcile(obj, ctx))?.requeueAfterMs;
      this.queue.forget(key);
    } catch (err) {
      result = "error";
      const message = errorText(err);
      const reason = err instanceof ReconcileError ? err.reason : "ReconciliationFailed";
      const status = findCondition(obj as never, ready);
      // The reconciler may have set a more precise condition in this reconcile; keep it. A Ready=False
      // left from an earlier reconcile is not that: it is replaced, so the message names today's failure.
      const previous = findCondition({ status: before, metadata: obj.metadata } as never, ready);
      const setNow = JSON.stringify(status) !== JSON.stringify(previous);
      const alreadyFailed = setNow && status?.status === "False" && status.observedGeneration === obj.metadata.generation;
      if (err instanceof ReconcileError && err.stalled) {
        markStalled(obj as never, reason, message);
      } else {
        if (!alreadyFailed) markFailed(obj as never, reason, message);
        // The API server out of reach (restarting, overloaded) is retried soon, not after the retry interval.
        if (err instanceof ReconcileError && err.retryAfterMs !== undefined) retry = err.retryAfterMs;
        else if (isServerUnavailable(err)) retry = "backoff";
        else retry = this.#r.retryAfterMs?.(obj) ?? "backoff";
      }
      log.error({ reason, err: message }, "reconcile failed");
      await ctx.event("Warning", reason, message);
    }
    const seconds = (performance.now() - started) / 1000;
    this.#finishStatus(obj);
    if (!(await this.#patchStatus(key, superseded, before, obj))) {
      log.debug("deleted during reconcile");
      return;
    }
    const m = this.#deps.metrics;
    m.reconcileDuration.observe({ kind, name, namespace: namespace ?? "" }, seconds);
    m.reconcileTotal.inc({ controller: this.#r.name, result });
    m.setReady(kind, namespace ?? "", name, findCondition(obj as never, ready)?.status);
    if (result === "success") log.info({ seconds: round(seconds), nextRunMs: requeueAfterMs }, "reconciled");

    if (retry === "backoff") this.queue.addRateLimited(key);
    else if (retry !== undefined) this.queue.addAfter(key, retry);
    else if (requeueAfterMs !== undefined) this.queue.addAfter(key, jitter(requeueAfterMs, this.#deps.intervalJitter ?? 0.05));
  }

  /**
   * Cleanup failed: the deletion stays held by the finalizer, Ready=False says why, and it is
   * retried with backoff.
   */
  async #finalizeFailed(key: string, cached: T, obj: T, err: unknown, log: Logger, ctx: ReconcileContext): Promise<void> {
    const message = `finalization failed: ${errorText(err)}`;
    const reason = err instanceof ReconcileError ? err.reason : "FinalizationFailed";
    const before = structuredClone((cached as { status?: unknown }).status);
    markFailed(obj as never, reason, message);
    log.error({ reason, err: message }, "finalize failed");
    await ctx.event("Warning", reason, message);
    const superseded = new Set([...(this.#written.get(key)?.superseded ?? []), cached.metadata.resourceVersion!]);
    await this.#patchStatus(key, superseded, before, obj);
    this.queue.addRateLimited(key);
  }

  /** observedGeneration and the requestedAt handshake, written with every status. */
  #finishStatus(obj: T): void {
    const status = ((obj as { status?: Record<string, unknown> }).status ??= {});
    status.observedGeneration = obj.metadata.generation;
    const requested = obj.metadata.annotations?.[annotations.requestedAt];
    if (requested) status.lastHandledReconcileAt = requested;
  }

  /** Writes what the reconcile changed in the status; false when the object is gone. */
  async #patchStatus(key: string, superseded: Set<string>, before: unknown, obj: T): Promise<boolean> {
    const patch = mergePatchDiff(before ?? {}, (obj as { status?: unknown }).status ?? {});
    if (patch === undefined) return true;
    const { namespace, name } = parseObjectKey(key);
    try {
      const updated = await this.#deps.api.mergePatch<T>(this.ref, namespace, name, { status: patch }, "status");
      const caughtUp = this.informer.get(namespace, name)?.metadata.resourceVersion === updated.metadata.resourceVersion;
      if (caughtUp) this.#written.delete(key);
      else this.#written.set(key, { superseded, object: updated });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /** The object with our finalizer; undefined when it is gone. */
  async #addFinalizer(obj: T, finalizer: string): Promise<T | undefined> {
    const { namespace, name, finalizers, resourceVersion } = obj.metadata;
    const ops = finalizers
      ? [{ op: "test", path: "/metadata/resourceVersion", value: resourceVersion }, { op: "add", path: "/metadata/finalizers/-", value: finalizer }]
      : [{ op: "add", path: "/metadata/finalizers", value: [finalizer] }];
    let updated: T;
    try {
      updated = await this.#deps.api.jsonPatch<T>(this.ref, namespace, name!, ops);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
    // Keep the status as the cache had it: the reconcile diffs against it.
    return { ...updated, status: (obj as { status?: unknown }).status } as T;
  }

  async #removeFinalizer(obj: T, finalizer: string): Promise<void> {
    const { namespace, name, finalizers = [] } = obj.metadata;
    const index = finalizers.indexOf(finalizer);
    await this.#deps.api
      .jsonPatch(this.ref, namespace, name!, [
        { op: "test", path: `/metadata/finalizers/${index}`, value: finalizer },
        { op: "remove", path: `/metadata/finalizers/${index}` },
      ])
      .catch((err: unknown) => {
        if ((err as { code?: number }).code !== 404) throw err;
      });
  }

  #context(obj: T, log: Logger): ReconcileContext {
    return {
      api: this.#deps.api,
      cache: this.#deps.cache,
      log,
      signal: this.#abort.signal,
      event: (type, reason, message, metadata) => this.#deps.recorder.record(obj, type, reason, message, metadata),
      enqueue: (namespace, name) => this.enqueue(namespace, name),
    };
  }
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
