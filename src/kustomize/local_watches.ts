import type { KubeObject } from "../api/meta.ts";
import { OwnedObjects } from "../runtime/apply/owned_objects.ts";
import type { Informer } from "../runtime/cache/informer.ts";
import type { InformerCache } from "../runtime/cache/informer_cache.ts";
import { isForbidden } from "../runtime/kube/api_error.ts";
import type { Impersonation, KubeClient } from "../runtime/kube/client.ts";
import type { ResourceRef } from "../runtime/kube/resource_ref.ts";
import { RemoteCluster } from "../runtime/remote/remote_cluster.ts";
import type { AccessReviews } from "./access_reviews.ts";

/** How long a service account's watches of a namespace outlive the last Kustomization using them, by default. */
export const defaultLocalWatchIdleMs = 5 * 60_000;

export interface LocalWatchesOptions {
  /** The owner label naming the owner's namespace. */
  namespaceLabel: string;
  /** Where the controller's right to list and watch a kind is asked (and remembered, denials too). */
  reviews: AccessReviews;
  /** How long a service account's watches of a namespace are kept once no Kustomization uses them. */
  idleMs?: number;
}

/** What one Kustomization's reconcile reads on this cluster. */
export interface LocalView {
  owned: OwnedObjects;
  /** A synced watch of any kind in `namespace` (cluster-wide for cluster-scoped kinds). */
  watch(ref: ResourceRef, namespace: string | undefined): Promise<Informer<KubeObject>>;
}

/** One service account's watches of one namespace (or of cluster-scoped kinds), and who uses them. */
interface AccountWatches {
  cluster: RemoteCluster;
  /** Kustomizations (namespace/name) whose latest reconcile read these watches. */
  users: Set<string>;
  lastUsed: number;
  timer?: NodeJS.Timeout;
}

/**
 * The watches behind drift detection, pruning and health on the cluster the controller runs in.
 *
 * Normally one cluster-wide watch per kind, made by the controller and shared by every
 * Kustomization. In the multi-tenant lockdown (config/rbac/kustomize_controller.yaml: no
 * cluster-admin binding, every apply impersonated) the controller may not list what it applies;
 * such a watch would relist forever and a reconcile waiting on it would hang. So the controller's
 * right to list and watch a kind is asked first (a SelfSubjectAccessReview, kept for the reviews'
 * TTL); without it, the watch is made per namespace as the impersonated service account, and
 * without one, the read fails at once with a message that says what to grant.
 *
 * A service account's watches of a namespace are held by the Kustomizations whose latest reconcile
 * read them (use() starts a reconcile, release() ends a Kustomization), and stopped `idleMs` after
 * the last of them let go; the next read opens them again.
 */
export class LocalWatches {
  readonly #cache: InformerCache;
  readonly #client: KubeClient;
  readonly #namespaceLabel: string;
  readonly #reviews: AccessReviews;
  readonly #idleMs: number;
  readonly #accounts = new Map<string, AccountWatches>();
  readonly #usedBy = new Map<string, Set<string>>();
  #closed = false;

  constructor(cache: InformerCache, client: KubeClient, opts: LocalWatchesOptions) {
    this.#cache = cache;
    this.#client = client;
    this.#namespaceLabel = opts.namespaceLabel;
    this.#reviews = opts.reviews;
    this.#idleMs = opts.idleMs ?? defaultLocalWatchIdleMs;
  }

  /**
   * The watches for a reconcile of Kustomization `user` (namespace/name) acting as `who` (or as the
   * controller). Starts that reconcile: the service-account watches its previous reconcile read are
   * let go, and held again as this one reads them (kept meanwhile by the idle delay, so a steady
   * Kustomization never stops and restarts a watch).
   */
  use(user: string, who: Impersonation | undefined): LocalView {
    this.release(user);
    return {
      owned: new OwnedObjects((ref, o) => this.#informer(user, who, ref, o.namespace, o.labelSelector), this.#namespaceLabel),
      watch: (ref, namespace) => this.#informer(user, who, ref, namespace, undefined, namespace),
    };
  }

  /** Kustomization `user` is gone (or reads another cluster now): its service-account watches start their idle delay. */
  release(user: string): void {
    const keys = this.#usedBy.get(user);
    if (!keys) return;
    this.#usedBy.delete(user);
    const now = Date.now();
    for (const key of keys) {
      const account = this.#accounts.get(key);
      if (!account || !account.users.delete(user)) continue;
      account.lastUsed = now;
      if (account.users.size === 0) this.#arm(key, account);
    }
  }

  /** How many service-account watch sets (one per account and namespace) are open. */
  get accountWatches(): number {
    return this.#accounts.size;
  }

  /** Stops the service accounts' watches (the shared ones belong to the manager's cache). */
  async close(): Promise<void> {
    this.#closed = true;
    const all = [...this.#accounts.values()];
    this.#accounts.clear();
    this.#usedBy.clear();
    for (const a of all) clearTimeout(a.timer);
    await Promise.all(all.map((a) => a.cluster.close()));
  }

  /**
   * `sharedNamespace` is the namespace of the shared watch: none for owned objects (one watch across
   * namespaces, filtered by the owner label), the object's for a health check of an object not applied.
   */
  async #informer(
    user: string,
    who: Impersonation | undefined,
    ref: ResourceRef,
    namespace: string | undefined,
    labelSelector: string | undefined,
    sharedNamespace?: string,
  ): Promise<Informer<KubeObject>> {
    const scope = ref.namespaced ? sharedNamespace : undefined;
    if (await this.#mayWatch(ref, scope)) {
      const inf = this.#cache.informer<KubeObject>(ref, { namespace: scope, labelSelector });
      await inf.synced;
      return inf;
    }
    const what = `${ref.group ? `${ref.resource}.${ref.group}` : ref.resource}${scope ? ` in namespace ${scope}` : " across namespaces"}`;
    if (!who) {
      throw new Error(
        `the controller's own account may not list and watch ${what}, so Sluice cannot follow what it applies: grant it that, or have the Kustomization act as a service account (spec.serviceAccountName or --default-service-account)`,
      );
    }
    const ns = ref.namespaced ? namespace : undefined;
    const account = this.#account(user, who, ns);
    try {
      return await account.cluster.informer(ref, { namespace: ns, labelSelector });
    } catch (err) {
      // Refused: what was remembered of this account's rights on the kind is asked afresh.
      if (isForbidden((err as Error).cause ?? err)) this.#reviews.forget({ cluster: "", user: who.user }, ref);
      throw err;
    }
  }

  /** The watches of `who` in `namespace`, opened if need be, and held for `user`. */
  #account(user: string, who: Impersonation, namespace: string | undefined): AccountWatches {
    if (this.#closed) throw new Error("the kustomize controller is stopping");
    const key = `${who.user}\n${namespace ?? ""}`;
    let account = this.#accounts.get(key);
    if (!account) {
      const cluster = new RemoteCluster(
        { client: this.#client.impersonating(who), server: `this cluster (as ${who.user})` },
        { onWatchError: (_server, err) => isForbidden(err) && this.#reviews.forget({ cluster: "", user: who.user }) },
      );
      account = { cluster, users: new Set(), lastUsed: Date.now() };
      this.#accounts.set(key, account);
    }
    account.lastUsed = Date.now();
    account.users.add(user);
    let keys = this.#usedBy.get(user);
    if (!keys) this.#usedBy.set(user, (keys = new Set()));
    keys.add(key);
    clearTimeout(account.timer);
    account.timer = undefined;
    return account;
  }

  #arm(key: string, account: AccountWatches): void {
    clearTimeout(account.timer);
    account.timer = setTimeout(() => this.#expire(key, account), Math.max(0, account.lastUsed + this.#idleMs - Date.now()));
    account.timer.unref();
  }

  #expire(key: string, account: AccountWatches): void {
    account.timer = undefined;
    if (this.#accounts.get(key) !== account || account.users.size > 0) return;
    if (Date.now() - account.lastUsed < this.#idleMs) return this.#arm(key, account);
    this.#accounts.delete(key);
    void account.cluster.close();
  }

  #mayWatch(ref: ResourceRef, namespace: string | undefined): Promise<boolean> {
    const subject = { cluster: "", user: "" };
    const ask = (verb: string) => this.#reviews.decide(this.#client, subject, { verb, group: ref.group, resource: ref.resource, namespace }, { rememberDenied: true });
    return Promise.all([ask("list"), ask("watch")]).then(([list, watch]) => list.allowed && watch.allowed);
  }
}
