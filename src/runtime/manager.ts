import type { Server } from "node:http";
import type { KubeObject } from "../api/meta.ts";
import { InformerCache } from "./cache/informer_cache.ts";
import { Controller } from "./controller/controller.ts";
import type { Reconciler } from "./controller/reconciler.ts";
import { EventRecorder } from "./events/event_recorder.ts";
import { type ClientOptions, KubeClient } from "./kube/client.ts";
import type { ClusterConnection } from "./kube/kubeconfig.ts";
import { ObjectApi } from "./kube/objects.ts";
import { LeaderElector } from "./ops/leader_election.ts";
import { leaderElectionId } from "./ops/leader_election_id.ts";
import { createLogger, type Logger, type LogLevel } from "./ops/logger.ts";
import { Metrics } from "./ops/metrics.ts";
import { startOpsServer } from "./ops/ops_server.ts";
import type { BackoffOptions } from "./queue/work_queue.ts";

export interface ManagerOptions {
  connection: ClusterConnection;
  /** Name used for the field manager, events and the lease, e.g. "sluice". */
  name: string;
  qps?: number;
  burst?: number;
  /** Reconciles at once per controller (--concurrent). */
  concurrent?: number;
  /** Watch only this namespace; all when unset (--watch-all-namespaces). */
  namespace?: string;
  /** Reconcile only objects matching this label selector (--watch-label-selector, sharding). */
  labelSelector?: string;
  eventsAddr?: string;
  metricsAddr?: string;
  healthAddr?: string;
  leaderElection?: { namespace: string; leaseName?: string; leaseDurationMs?: number; renewDeadlineMs?: number; retryPeriodMs?: number };
  logLevel?: LogLevel;
  log?: Logger;
  backoff?: BackoffOptions;
  shutdownTimeoutMs?: number;
  /** Sees every API response (benchmarks and diagnostics count requests by verb and path). */
  onApiResponse?: NonNullable<ClientOptions["onResponse"]>;
}

/** Something that runs beside the controllers, e.g. the artifact server. */
export interface Runnable {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Start only on the leader. */
  needsLeader?: boolean;
}

/** One process's controllers and everything they share: client, cache, metrics, events, leadership. */
export class Manager {
  readonly client: KubeClient;
  readonly api: ObjectApi;
  readonly cache: InformerCache;
  readonly metrics = new Metrics();
  readonly log: Logger;
  readonly recorder: EventRecorder;
  readonly #opts: ManagerOptions;
  readonly #controllers: Controller<KubeObject>[] = [];
  readonly #runnables: Runnable[] = [];
  readonly #servers: Server[] = [];
  #elector: LeaderElector | undefined;
  #synced = false;
  #leading = false;

  constructor(opts: ManagerOptions) {
    this.#opts = opts;
    this.log = opts.log ?? createLogger(opts.logLevel);
    this.client = new KubeClient(opts.connection, {
      qps: opts.qps,
      burst: opts.burst,
      userAgent: opts.name,
      onResponse: (verb, code, seconds, request) => {
        this.metrics.apiRequests.inc({ verb, code: String(code) });
        opts.onApiResponse?.(verb, code, seconds, request);
      },
    });
    this.api = new ObjectApi(this.client);
    this.cache = new InformerCache(this.api, {
      namespace: opts.namespace,
      labelSelector: opts.labelSelector,
      onError: (err) => this.log.warn({ err: err instanceof Error ? err.message : String(err) }, "watch failed; relisting"),
    });
    this.recorder = new EventRecorder(this.api, { controller: opts.name, eventsAddr: opts.eventsAddr, log: this.log });
  }

  add<T extends KubeObject>(reconciler: Reconciler<T>): Controller<T> {
    const c = new Controller<T>(reconciler, {
      api: this.api,
      cache: this.cache,
      metrics: this.metrics,
      log: this.log,
      recorder: this.recorder,
      concurrency: this.#opts.concurrent ?? 4,
      backoff: this.#opts.backoff,
    });
    this.#controllers.push(c as unknown as Controller<KubeObject>);
    return c;
  }

  addRunnable(r: Runnable): void {
    this.#runnables.push(r);
  }

  get isLeader(): boolean {
    return this.#leading;
  }

  /** Serves health and metrics, fills the cache, takes leadership if asked, then starts the controllers. */
  async start(onLostLeadership: () => void = () => process.exit(1)): Promise<void> {
    const started = performance.now();
    for (const [addr, handlers] of [
      [this.#opts.metricsAddr, { metrics: this.metrics }],
      [this.#opts.healthAddr, { healthy: () => true, ready: () => this.#synced }],
    ] as const) {
      const server = addr ? await startOpsServer(addr, handlers) : undefined;
      if (server) this.#servers.push(server);
    }
    for (const r of this.#runnables.filter((r) => !r.needsLeader)) await r.start();
    this.cache.start();
    await this.cache.waitForSync();
    this.#synced = true;
    const le = this.#opts.leaderElection;
    if (le) {
      this.#elector = new LeaderElector(this.api, {
        namespace: le.namespace,
        name: le.leaseName ?? leaderElectionId(this.#opts.name, this.#opts.labelSelector),
        leaseDurationMs: le.leaseDurationMs,
        renewDeadlineMs: le.renewDeadlineMs,
        retryPeriodMs: le.retryPeriodMs,
        log: this.log,
      });
      await this.#elector.acquire(onLostLeadership);
    }
    this.#leading = true;
    for (const r of this.#runnables.filter((r) => r.needsLeader)) await r.start();
    for (const c of this.#controllers) c.start();
    this.log.info({ controllers: this.#controllers.length, ms: Math.round(performance.now() - started) }, "manager started");
  }

  /** Finishes reconciles in flight (up to the shutdown timeout), releases leadership, closes everything. */
  async stop(): Promise<void> {
    const timeout = this.#opts.shutdownTimeoutMs ?? 30_000;
    await Promise.all(this.#controllers.map((c) => c.stop(timeout)));
    this.cache.stop();
    await this.#elector?.release();
    for (const r of this.#runnables) await r.stop().catch(() => undefined);
    for (const s of this.#servers) {
      s.closeAllConnections();
      await new Promise((r) => s.close(() => r(undefined)));
    }
    await this.client.close();
    this.log.info("manager stopped");
  }
}
