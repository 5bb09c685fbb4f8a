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

/**
 * Waits until every target is Current, driven by the watch caches: it re-evaluates on each event
 * of a watched object (and every few seconds for time-based rules), so it returns the moment the
 * last object turns healthy. Throws HealthCheckError on timeout or, with failFast, on a failure.
 */
export function waitForSet(targets: WaitTarget[], opts: WaitOptions): Promise<void> {
  const statusOf = opts.statusOf ?? ((o) => computeStatus(o));
  const evaluate = (): TargetHealth[] => targets.map((t) => ({ subject: t.subject, health: statusOf(t.informer.get(t.namespace, t.name)) }));
  const settled = (all: TargetHealth[]): "ok" | "failed" | undefined => {
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

function failure(all: TargetHealth[], timedOut: boolean): HealthCheckError {
  const failing = all.filter((t) => t.health.status !== "Current");
  const list = failing.map((t) => `${t.subject} status: '${t.health.status}'${t.health.message ? `: ${t.health.message}` : ""}`).join(", ");
  const message = timedOut ? `timeout waiting for: [${list}]` : `failed early due to stalled resources: [${list}]`;
  return new HealthCheckError(message, failing, timedOut);
}
