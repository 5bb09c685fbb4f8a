import { setTimeout as sleep } from "node:timers/promises";
import { hostname } from "node:os";
import { isConflict, isNotFound } from "../kube/api_error.ts";
import type { ObjectApi } from "../kube/objects.ts";
import type { ResourceRef } from "../kube/resource_ref.ts";
import type { Logger } from "./logger.ts";

const leaseRef: ResourceRef = { group: "coordination.k8s.io", version: "v1", resource: "leases", kind: "Lease", namespaced: true };

export interface LeaderElectionOptions {
  namespace: string;
  name: string;
  identity?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  log: Logger;
}

interface Lease {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

/**
 * Leader election on a coordination.k8s.io Lease, as client-go does it: take the lease when it is
 * free or expired, renew it every retry period, and give up (onLost) when renewals fail past the deadline.
 */
export class LeaderElector {
  readonly identity: string;
  readonly #api: ObjectApi;
  readonly #o: Required<Omit<LeaderElectionOptions, "identity">>;
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;
  /** The Lease as our last write left it: renewals update it without reading it first. */
  #held: Lease | undefined;

  constructor(api: ObjectApi, opts: LeaderElectionOptions) {
    this.#api = api;
    this.identity = opts.identity ?? `${hostname()}_${process.pid}_${Math.random().toString(16).slice(2, 8)}`;
    // Flux's defaults (--leader-election-lease-duration=35s, -renew-deadline=30s, -retry-period=5s).
    this.#o = { leaseDurationMs: 35_000, renewDeadlineMs: 30_000, retryPeriodMs: 5_000, ...opts };
  }

  /** Resolves once this process holds the lease; then renews until stop() or loss. */
  async acquire(onLost: () => void): Promise<void> {
    for (;;) {
      if (this.#stopped) throw new Error("leader election stopped");
      if (await this.#tryAcquireOrRenew().catch(() => false)) break;
      await sleep(this.#o.retryPeriodMs);
    }
    this.#o.log.info({ lease: `${this.#o.namespace}/${this.#o.name}`, identity: this.identity }, "became leader");
    let lastRenew = Date.now();
    const renew = async () => {
      if (this.#stopped) return;
      const ok = await this.#tryAcquireOrRenew().catch(() => false);
      if (ok) lastRenew = Date.now();
      else if (Date.now() - lastRenew > this.#o.renewDeadlineMs) {
        this.#o.log.error("lost leadership");
        onLost();
        return;
      }
      this.#timer = setTimeout(renew, this.#o.retryPeriodMs);
    };
    this.#timer = setTimeout(renew, this.#o.retryPeriodMs);
  }

  /** Stops renewing and releases the lease so another replica takes over at once. */
  async release(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#held = undefined;
    const lease = await this.#api.find<Lease>(leaseRef, this.#o.namespace, this.#o.name).catch(() => undefined);
    if (lease?.spec.holderIdentity !== this.identity) return;
    lease.spec.holderIdentity = undefined;
    lease.spec.leaseDurationSeconds = 1;
    await this.#put(lease).catch(() => undefined);
  }

  async #tryAcquireOrRenew(): Promise<boolean> {
    const now = new Date();
    const nowText = now.toISOString().replace("Z", "000Z");
    const durationSeconds = Math.round(this.#o.leaseDurationMs / 1000);
    if (this.#held) {
      // Renewing a lease we hold: one PUT. A conflict means someone else wrote it; read it then.
      const held = this.#held;
      held.spec.renewTime = nowText;
      try {
        this.#held = (await this.#put(held)) as Lease;
        return true;
      } catch (err) {
        this.#held = undefined;
        if (!isConflict(err)) throw err;
      }
    }
    let lease: Lease | undefined;
    try {
      lease = await this.#api.get<Lease>(leaseRef, this.#o.namespace, this.#o.name);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    if (!lease) {
      try {
        this.#held = await this.#api.create<Lease>(leaseRef, {
          apiVersion: "coordination.k8s.io/v1",
          kind: "Lease",
          metadata: { name: this.#o.name, namespace: this.#o.namespace },
          spec: { holderIdentity: this.identity, leaseDurationSeconds: durationSeconds, acquireTime: nowText, renewTime: nowText, leaseTransitions: 0 },
        });
        return true;
      } catch (err) {
        if (isConflict(err)) return false;
        throw err;
      }
    }
    const holder = lease.spec.holderIdentity;
    const renewed = lease.spec.renewTime ? Date.parse(lease.spec.renewTime) : 0;
    const expired = renewed + (lease.spec.leaseDurationSeconds ?? durationSeconds) * 1000 < now.getTime();
    if (holder && holder !== this.identity && !expired) return false;
    if (holder !== this.identity) {
      lease.spec.acquireTime = nowText;
      lease.spec.leaseTransitions = (lease.spec.leaseTransitions ?? 0) + 1;
    }
    lease.spec.holderIdentity = this.identity;
    lease.spec.leaseDurationSeconds = durationSeconds;
    lease.spec.renewTime = nowText;
    try {
      this.#held = (await this.#put(lease)) as Lease;
      return true;
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
  }

  #put(lease: Lease): Promise<unknown> {
    return this.#api.client.request({
      method: "PUT",
      path: `/apis/coordination.k8s.io/v1/namespaces/${this.#o.namespace}/leases/${this.#o.name}`,
      body: lease,
    });
  }
}
