import type { KubeObject } from "../../api/meta.ts";
import type { Informer } from "../cache/informer.ts";
import type { InformerCache } from "../cache/informer_cache.ts";
import type { ResourceRef } from "../kube/resource_ref.ts";

/**
 * The live state of the objects an applier manages, from watches filtered by its owner labels:
 * one cluster-wide list+watch per kind and owner namespace, shared by every owner there. Drift
 * detection, pruning and health checks read from it instead of GETting each object.
 */
export class OwnedObjects {
  readonly #cache: InformerCache;
  readonly #namespaceLabel: string;

  /** `namespaceLabel` is the owner label naming the owner's namespace, e.g. kustomize.toolkit.fluxcd.io/namespace. */
  constructor(cache: InformerCache, namespaceLabel: string) {
    this.#cache = cache;
    this.#namespaceLabel = namespaceLabel;
  }

  /** The synced informer of one kind for the owners in `ownerNamespace`. */
  async informer(ref: ResourceRef, ownerNamespace: string): Promise<Informer<KubeObject>> {
    const inf = this.#cache.informer<KubeObject>(ref, { labelSelector: `${this.#namespaceLabel}=${ownerNamespace}` });
    await inf.synced;
    return inf;
  }

  async get(ref: ResourceRef, ownerNamespace: string, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    return (await this.informer(ref, ownerNamespace)).get(ref.namespaced ? namespace : undefined, name);
  }
}
