import type { KubeObject } from "../../api/meta.ts";
import type { Informer } from "../cache/informer.ts";
import type { InformerCache } from "../cache/informer_cache.ts";
import type { ResourceRef } from "../kube/resource_ref.ts";

/** Where the watches come from when not from a manager's cache: resolves once the informer has synced. */
export type InformerSource = (ref: ResourceRef, opts: { namespace?: string; labelSelector: string }) => Promise<Informer<KubeObject>>;

export interface OwnedObjectsOptions {
  /**
   * One watch per kind and object namespace instead of one cluster-wide per kind, for identities
   * whose RBAC ends at namespaces (e.g. a remote cluster's kubeconfig user). Cluster-scoped kinds
   * are still watched cluster-wide.
   */
  perNamespace?: boolean;
}

/**
 * The live state of the objects an applier manages, from watches filtered by its owner labels:
 * one cluster-wide list+watch per kind and owner namespace, shared by every owner there. Drift
 * detection, pruning and health checks read from it instead of GETting each object.
 */
export class OwnedObjects {
  readonly #source: InformerSource;
  readonly #namespaceLabel: string;
  readonly #perNamespace: boolean;

  /** `namespaceLabel` is the owner label naming the owner's namespace, e.g. kustomize.toolkit.fluxcd.io/namespace. */
  constructor(source: InformerCache | InformerSource, namespaceLabel: string, opts: OwnedObjectsOptions = {}) {
    this.#source = typeof source === "function" ? source : async (ref, o) => {
      const inf = source.informer<KubeObject>(ref, o);
      await inf.synced;
      return inf;
    };
    this.#namespaceLabel = namespaceLabel;
    this.#perNamespace = opts.perNamespace ?? false;
  }

  /**
   * The synced informer of one kind for the owners in `ownerNamespace`; `namespace` (the objects')
   * matters only with perNamespace.
   */
  informer(ref: ResourceRef, ownerNamespace: string, namespace?: string): Promise<Informer<KubeObject>> {
    const scoped = this.#perNamespace && ref.namespaced && namespace ? namespace : undefined;
    return this.#source(ref, { namespace: scoped, labelSelector: `${this.#namespaceLabel}=${ownerNamespace}` });
  }

  async get(ref: ResourceRef, ownerNamespace: string, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    return (await this.informer(ref, ownerNamespace, namespace)).get(ref.namespaced ? namespace : undefined, name);
  }
}
