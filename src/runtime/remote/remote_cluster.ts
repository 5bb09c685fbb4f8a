import type { KubeObject } from "../../api/meta.ts";
import { OwnedObjects } from "../apply/owned_objects.ts";
import { Informer } from "../cache/informer.ts";
import { ApiError } from "../kube/api_error.ts";
import { type ClientOptions, KubeClient } from "../kube/client.ts";
import type { ClusterConnection } from "../kube/kubeconfig.ts";
import { ObjectApi } from "../kube/objects.ts";
import type { ResourceRef } from "../kube/resource_ref.ts";

export interface RemoteClusterOptions extends ClientOptions {
  /** How long a new watch may take to list before the read fails (default 30s). */
  syncTimeoutMs?: number;
  /** Called with every error that made a watch relist. */
  onWatchError?: (server: string, err: unknown) => void;
}

/**
 * Another API server, reached with a kubeconfig's own credentials: its client and its watches.
 * Watches are opened on first use and kept until close(). Unlike the manager's cache, a watch
 * that cannot list (RBAC, a server gone) fails the read with a message naming the server instead of
 * retrying silently.
 */
export class RemoteCluster {
  readonly server: string;
  readonly client: KubeClient;
  readonly api: ObjectApi;
  readonly #opts: RemoteClusterOptions;
  readonly #watches = new Map<string, Promise<Informer<KubeObject>>>();
  readonly #started = new Set<Informer<KubeObject>>();
  readonly #owned = new Map<string, OwnedObjects>();
  readonly #ownsClient: boolean;
  #closed = false;

  /**
   * A new client for `conn` (throws when its certificates or key cannot be loaded), or watches
   * through an existing `client` (e.g. the manager's, impersonating a service account), which
   * close() then leaves open; `server` names that cluster in messages.
   */
  constructor(conn: ClusterConnection | { client: KubeClient; server: string }, opts: RemoteClusterOptions = {}) {
    this.server = conn.server;
    this.#ownsClient = !("client" in conn);
    this.client = "client" in conn ? conn.client : new KubeClient(conn, opts);
    this.api = new ObjectApi(this.client);
    this.#opts = opts;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** One cheap request (GET /version, open to every user): throws when the server cannot be reached or refuses the credentials. */
  async ping(): Promise<void> {
    await this.client.request({ method: "GET", path: "/version", maxRetries: 2 });
  }

  /** A synced watch of one kind (in one namespace, with a label selector), opened on first use. */
  informer(ref: ResourceRef, opts: { namespace?: string; labelSelector?: string } = {}): Promise<Informer<KubeObject>> {
    if (this.#closed) return Promise.reject(new Error(`the client for ${this.server} is closed`));
    const key = [ref.group, ref.version, ref.resource, opts.namespace ?? "", opts.labelSelector ?? ""].join("|");
    let watch = this.#watches.get(key);
    if (!watch) {
      watch = this.#open(ref, opts);
      this.#watches.set(key, watch);
      // A failed one is tried afresh next time (RBAC granted, server back).
      const failed = watch;
      failed.catch(() => this.#watches.get(key) === failed && this.#watches.delete(key));
    }
    return watch;
  }

  /** The owned-objects view of this cluster for one owner label, with a watch per kind and object namespace. */
  ownedObjects(namespaceLabel: string): OwnedObjects {
    let owned = this.#owned.get(namespaceLabel);
    if (!owned) {
      owned = new OwnedObjects((ref, o) => this.informer(ref, o), namespaceLabel);
      this.#owned.set(namespaceLabel, owned);
    }
    return owned;
  }

  /** Stops every watch and closes the connections. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const inf of this.#started) inf.stop();
    this.#started.clear();
    this.#watches.clear();
    if (this.#ownsClient) await this.client.close();
  }

  async #open(ref: ResourceRef, opts: { namespace?: string; labelSelector?: string }): Promise<Informer<KubeObject>> {
    const what = `${ref.group ? `${ref.resource}.${ref.group}` : ref.resource}${opts.namespace ? ` in namespace ${opts.namespace}` : ""}`;
    // A list the identity may not make would leave the informer relisting forever; ask once first.
    try {
      await this.api.list(ref, opts.namespace, { labelSelector: opts.labelSelector, limit: 1 });
    } catch (err) {
      const reason = err instanceof ApiError && err.reason ? ` (${err.reason})` : "";
      throw new Error(`cannot watch ${what} on ${this.server}${reason}: ${(err as Error).message}`, { cause: err });
    }
    const inf = new Informer<KubeObject>(this.api, { ref, ...opts, onError: (err) => this.#opts.onWatchError?.(this.server, err) });
    this.#started.add(inf);
    inf.start();
    const timeoutMs = this.#opts.syncTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const synced = await Promise.race([inf.synced.then(() => true), new Promise<false>((r) => (timer = setTimeout(() => r(false), timeoutMs)))]);
    clearTimeout(timer);
    if (!synced || this.#closed) {
      inf.stop();
      this.#started.delete(inf);
      throw new Error(this.#closed ? `the client for ${this.server} is closed` : `the watch of ${what} on ${this.server} did not sync within ${timeoutMs / 1000}s`);
    }
    return inf;
  }
}
