import type { KubeObject } from "../../api/meta.ts";
import type { Informer } from "../cache/informer.ts";
import { computeStatus, type ObjectHealth } from "./compute_status.ts";

/** One object to wait for, read from a watch cache. */
export interface WaitTarget {
  /** Kind/ns/name, as printed in messages. */
  subject: string;
  namespace?: string;
  name: string;
  informer: Informer<KubeObject>;
  /**
   * The resourceVersion of our own write to it: until the watch shows that version (or a later
   * one), the cache holds the object as it was before (or not at all), and its health says nothing.
   */
  atLeast?: string;
}

export interface WaitOptions {
  timeoutMs: number;
  /** Stop at the first Failed object instead of waiting for the others. */
  failFast?: boolean;
  /** Health of one object; kstatus by default (pass one that tries CEL rules first). */
  statusOf?: (obj: KubeObject | undefined) => ObjectHealth;
  signal?: AbortSignal;
}

export interface TargetHealth {
  subject: string;
  health: ObjectHealth;
}

/** Health checks that did not pass; `failing` names each object and why. */
export class HealthCheckError extends Error {
  readonly failing: TargetHealth[];
  readonly timedOut: boolean;
  constructor(message: string, failing: TargetHealth[], timedOut: boolean) {
    super(message);
    this.name = "HealthCheckError";
    this.failing = failing;
    this.timedOut = timedOut;
  }
}

const notObserved = "NotObserved";

/**
 * Waits until every target is Current, driven by the watch caches: it re-evaluates on each event
 * of a watched object (and every few seconds for time-based rules), so it returns the moment the
 * last object turns healthy. Throws HealthCheckError on timeout or, with failFast, on a failure.
 */
export function waitForSet(targets: WaitTarget[], opts: WaitOptions): Promise<void> {
  const statusOf = opts.statusOf ?? ((o) => computeStatus(o));
  const evaluate = (): TargetHealth[] =>
    targets.map((t) => {
      const obj = t.informer.get(t.namespace, t.name);
      if (seen(obj, t.atLeast)) return { subject: t.subject, health: statusOf(obj) };
      return { subject: t.subject, health: { status: "InProgress", reason: notObserved, message: "the watch does not show the applied version yet" } };
    });
  const settled = (all: TargetHealth[]): "ok" | "failed" | undefined => {
    // Nothing is decided on a cache that has not caught up with our own writes.
    if (all.some((t) => t.health.reason === notObserved)) return undefined;
    if (all.every((t) => t.health.status === "Current")) return "ok";
    const failed = all.some((t) => t.health.status === "Failed");
    if (failed && (opts.failFast ?? true)) return "failed";
    if (all.every((t) => t.health.status === "Current" || t.health.status === "Failed")) return "failed";
    return undefined;
  };
  const first = evaluate();
  const now = settled(first);
  if (now === "ok") return Promise.resolve();
  if (now === "failed") return Promise.reject(failure(first, false));

  const watched = new Map<Informer<KubeObject>, Set<string>>();
  for (const t of targets) {
    const keys = watched.get(t.informer) ?? new Set<string>();
    keys.add(`${t.informer.ref.namespaced ? (t.namespace ?? "") : ""}/${t.name}`);
    watched.set(t.informer, keys);
  }
  return new Promise<void>((resolve, reject) => {
    const unsubscribe: Array<() => void> = [];
    const finish = (err?: Error) => {
      clearTimeout(deadline);
      clearInterval(ticker);
      opts.signal?.removeEventListener("abort", onAbort);
      for (const u of unsubscribe) u();
      if (err) reject(err);
      else resolve();
    };
    const check = () => {
      const all = evaluate();
      const s = settled(all);
      if (s === "ok") finish();
      else if (s === "failed") finish(failure(all, false));
    };
    for (const [informer, keys] of watched) {
      unsubscribe.push(
        informer.on((ev) => {
          const m = ev.object.metadata;
          if (keys.has(`${informer.ref.namespaced ? (m.namespace ?? "") : ""}/${m.name}`)) check();
        }, { replay: false }),
      );
    }
    const deadline = setTimeout(() => finish(failure(evaluate(), true)), opts.timeoutMs);
    const ticker = setInterval(check, 5_000);
    const onAbort = () => finish(new Error("health check canceled"));
    opts.signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Whether the cached object is at least the given version. resourceVersions are etcd revisions
 * (decimal, increasing) on every API server we know; anything else counts once the object is there.
 */
function seen(obj: KubeObject | undefined, atLeast: string | undefined): boolean {
  if (!atLeast) return true;
  const rv = obj?.metadata.resourceVersion;
  if (!rv) return false;
  if (/^\d+$/.test(rv) && /^\d+$/.test(atLeast)) return BigInt(rv) >= BigInt(atLeast);
  return true;
}

function failure(all: TargetHealth[], timedOut: boolean): HealthCheckError {
  const failing = all.filter((t) => t.health.status !== "Current");
  const list = failing.map((t) => `${t.subject} status: '${t.health.status}'${t.health.message ? `: ${t.health.message}` : ""}`).join(", ");
  const message = timedOut ? `timeout waiting for: [${list}]` : `failed early due to stalled resources: [${list}]`;
  return new HealthCheckError(message, failing, timedOut);
}
