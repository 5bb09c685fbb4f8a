import type { KubeObject } from "../api/meta.ts";
import { type InformerSource, OwnedObjects } from "../runtime/apply/owned_objects.ts";
import type { Informer } from "../runtime/cache/informer.ts";
import type { InformerCache } from "../runtime/cache/informer_cache.ts";
import { accessReview } from "../runtime/kube/access_review.ts";
import type { Impersonation, KubeClient } from "../runtime/kube/client.ts";
import type { ResourceRef } from "../runtime/kube/resource_ref.ts";
import { RemoteCluster } from "../runtime/remote/remote_cluster.ts";

/** How long a decision on the controller's own right to watch a kind is trusted. */
const accessTtlMs = 60_000;

/**
 * The watches behind drift detection, pruning and health on the cluster the controller runs in.
 *
 * Normally one cluster-wide watch per kind, made by the controller and shared by every
 * Kustomization. In the multi-tenant lockdown (config/rbac/kustomize_controller.yaml: no
 * cluster-admin binding, every apply impersonated) the controller may not list what it applies;
 * such a watch would relist forever and a reconcile waiting on it would hang. So the controller's
 * right to list and watch a kind is asked first (a SelfSubjectAccessReview, kept a minute); without
 * it, the watch is made per namespace as the impersonated service account, and without one, the
 * read fails at once with a message that says what to grant.
 */
export class LocalWatches {
  readonly #cache: InformerCache;
  readonly #client: KubeClient;
  readonly #namespaceLabel: string;
  readonly #access = new Map<string, { at: number; allowed: Promise<boolean> }>();
  readonly #owned = new Map<string, OwnedObjects>();
  readonly #asAccount = new Map<string, RemoteCluster>();

  /** `namespaceLabel` is the owner label naming the owner's namespace. */
  constructor(cache: InformerCache, client: KubeClient, namespaceLabel: string) {
    this.#cache = cache;
    this.#client = client;
    this.#namespaceLabel = namespaceLabel;
  }

  /** The owned-objects view for Kustomizations acting as `who` (or as the controller). */
  owned(who: Impersonation | undefined): OwnedObjects {
    const key = who?.user ?? "";
    let owned = this.#owned.get(key);
    if (!owned) {
      const source: InformerSource = (ref, o) => this.#informer(who, ref, o.namespace, o.labelSelector);
      owned = new OwnedObjects(source, this.#namespaceLabel);
      this.#owned.set(key, owned);
    }
    return owned;
  }

  /** A synced watch of any kind in `namespace` (cluster-wide for cluster-scoped kinds), as above. */
  watch(who: Impersonation | undefined): (ref: ResourceRef, namespace: string | undefined) => Promise<Informer<KubeObject>> {
    return (ref, namespace) => this.#informer(who, ref, namespace, undefined, namespace);
  }

  /** Stops the service accounts' watches (the shared ones belong to the manager's cache). */
  async close(): Promise<void> {
    const all = [...this.#asAccount.values()];
    this.#asAccount.clear();
    await Promise.all(all.map((c) => c.close()));
  }

  /**
   * `sharedNamespace` is the namespace of the shared watch: none for owned objects (one watch across
   * namespaces, filtered by the owner label), the object's for a health check of an object not applied.
   */
  async #informer(who: Impersonation | undefined, ref: ResourceRef, namespace: string | undefined, labelSelector: string | undefined, sharedNamespace?: string): Promise<Informer<KubeObject>> {
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
    let account = this.#asAccount.get(who.user);
    if (!account) {
      account = new RemoteCluster({ client: this.#client.impersonating(who), server: `this cluster (as ${who.user})` });
      this.#asAccount.set(who.user, account);
    }
    return account.informer(ref, { namespace: ref.namespaced ? namespace : undefined, labelSelector });
  }

  #mayWatch(ref: ResourceRef, namespace: string | undefined): Promise<boolean> {
    const key = [ref.group, ref.resource, namespace ?? ""].join("|");
    const known = this.#access.get(key);
    if (known && Date.now() - known.at < accessTtlMs) return known.allowed;
    const ask = (verb: string) => accessReview(this.#client, { verb, group: ref.group, resource: ref.resource, namespace }).then((d) => d.allowed);
    const allowed = Promise.all([ask("list"), ask("watch")]).then(([list, watch]) => list && watch);
    // A failed review is asked again next time rather than remembered.
    allowed.catch(() => this.#access.delete(key));
    this.#access.set(key, { at: Date.now(), allowed });
    return allowed;
  }
}
