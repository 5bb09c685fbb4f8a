import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** Every metric the runtime exports, in one registry per process. */
export class Metrics {
  readonly registry = new Registry();
  readonly reconcileDuration = new Histogram({
    name: "gotk_reconcile_duration_seconds",
    help: "Duration of one reconcile, by object.",
    labelNames: ["kind", "name", "namespace"],
    buckets: exponentialBucketsRange(0.01, 1800, 10),
    registers: [this.registry],
  });
  readonly reconcileTotal = new Counter({
    name: "controller_runtime_reconcile_total",
    help: "Reconciles by controller and result.",
    labelNames: ["controller", "result"],
    registers: [this.registry],
  });
  readonly readyCondition = new Gauge({
    name: "gotk_reconcile_condition",
    help: "The Ready condition of each object (1 for the status it has).",
    labelNames: ["kind", "name", "namespace", "type", "status"],
    registers: [this.registry],
  });
  readonly suspended = new Gauge({
    name: "gotk_suspend_status",
    help: "1 when the object is suspended.",
    labelNames: ["kind", "name", "namespace"],
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: "workqueue_depth",
    help: "Keys waiting in the work queue.",
    labelNames: ["name"],
    registers: [this.registry],
  });
  readonly queueAdds = new Counter({
    name: "workqueue_adds_total",
    help: "Keys added to the work queue.",
    labelNames: ["name"],
    registers: [this.registry],
  });
  readonly queueRetries = new Counter({
    name: "workqueue_retries_total",
    help: "Keys queued again after a failure.",
    labelNames: ["name"],
    registers: [this.registry],
  });
  readonly queueLatency = new Histogram({
    name: "workqueue_queue_duration_seconds",
    help: "Time a key waited in the queue.",
    labelNames: ["name"],
    buckets: [0.001, 0.01, 0.1, 1, 10, 100],
    registers: [this.registry],
  });
  readonly apiRequests = new Counter({
    name: "rest_client_requests_total",
    help: "Kubernetes API requests by verb and HTTP code.",
    labelNames: ["verb", "code"],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  setReady(kind: string, namespace: string, name: string, status: string | undefined): void {
    for (const s of ["True", "False", "Unknown", "Deleted"]) {
      this.readyCondition.set({ kind, name, namespace, type: "Ready", status: s }, s === status ? 1 : 0);
    }
  }

  forget(kind: string, namespace: string, name: string): void {
    for (const s of ["True", "False", "Unknown", "Deleted"]) this.readyCondition.remove({ kind, name, namespace, type: "Ready", status: s });
    this.reconcileDuration.remove({ kind, name, namespace });
    this.suspended.remove({ kind, name, namespace });
  }
}

/** `count` buckets growing by a constant factor from min to max (Prometheus' ExponentialBucketsRange, as Flux uses). */
export function exponentialBucketsRange(min: number, max: number, count: number): number[] {
  const factor = (max / min) ** (1 / (count - 1));
  return Array.from({ length: count }, (_, i) => (i === count - 1 ? max : min * factor ** i));
}
