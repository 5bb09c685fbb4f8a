import { createHash } from "node:crypto";
import type { ClusterConnection } from "../kube/kubeconfig.ts";
import { RemoteCluster, type RemoteClusterOptions } from "./remote_cluster.ts";

/**
 * The remote clusters in use, one client (and one set of watches) per kubeconfig content, shared by
 * every user (e.g. every Kustomization) with the same kubeconfig. A client is closed as soon as its
 * last user releases it or moves to another kubeconfig (its Secret changed).
 */
export class RemoteClusters {
  readonly #opts: RemoteClusterOptions;
  readonly #entries = new Map<string, { cluster: RemoteCluster; users: Set<string> }>();
  readonly #byUser = new Map<string, string>();

  constructor(opts: RemoteClusterOptions = {}) {
    this.#opts = opts;
  }

  /**
   * The cluster for this kubeconfig, used by `user` from now on. `connect` reads the kubeconfig and
   * runs only when no client for this content exists yet; what it (or loading its certificates)
   * throws is thrown here, and the user keeps what it had.
   */
  use(user: string, kubeconfig: string, connect: () => ClusterConnection): RemoteCluster {
    const key = createHash("sha256").update(kubeconfig).digest("hex");
    let entry = this.#entries.get(key);
    if (!entry || entry.cluster.closed) {
      entry = { cluster: new RemoteCluster(connect(), this.#opts), users: new Set() };
      this.#entries.set(key, entry);
    }
    const previous = this.#byUser.get(user);
    if (previous !== key) {
      if (previous) this.#leave(user, previous);
      this.#byUser.set(user, key);
    }
    entry.users.add(user);
    return entry.cluster;
  }

  /** The kubeconfig digest `user` is on, if any. */
  keyOf(user: string): string | undefined {
    return this.#byUser.get(user);
  }

  /** `user` no longer uses a remote cluster; true when it did. */
  release(user: string): boolean {
    const key = this.#byUser.get(user);
    if (!key) return false;
    this.#byUser.delete(user);
    this.#leave(user, key);
    return true;
  }

  /** Clients open now. */
  get size(): number {
    return this.#entries.size;
  }

  async close(): Promise<void> {
    const all = [...this.#entries.values()];
    this.#entries.clear();
    this.#byUser.clear();
    await Promise.all(all.map((e) => e.cluster.close().catch(() => undefined)));
  }

  #leave(user: string, key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    entry.users.delete(user);
    if (entry.users.size > 0) return;
    this.#entries.delete(key);
    void entry.cluster.close().catch(() => undefined);
  }
}
