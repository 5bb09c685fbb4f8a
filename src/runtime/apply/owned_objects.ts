import type { KubeObject } from "../../api/meta.ts";
import type { Informer } from "../cache/informer.ts";
import type { ResourceRef } from "../kube/resource_ref.ts";

/**
 * Where the watches come from (a manager's cache, a remote cluster, a service account's view): resolves
 * once the informer has synced. `namespace` is the objects' namespace (none for cluster-scoped kinds); a
 * source whose identity may list across namespaces can ignore it and keep one watch per kind.
 */
export type InformerSource = (ref: ResourceRef, opts: { namespace?: string; labelSelector: string }) => Promise<Informer<KubeObject>>;

/**
 * The live state of the objects an applier manages, from watches filtered by its owner labels: one
 * list+watch per kind and owner namespace (and per object namespace where the source needs it),
 * shared by every owner there. Drift detection, pruning and health checks read from it instead of
 * GETting each object.
 */
export class OwnedObjects {
  readonly #source: InformerSource;
  readonly #namespaceLabel: string;

  /** `namespaceLabel` is the owner label naming the owner's namespace, e.g. kustomize.toolkit.fluxcd.io/namespace. */
  constructor(source: InformerSource, namespaceLabel: string) {
    this.#source = source;
    this.#namespaceLabel = namespaceLabel;
  }

  /** The synced informer of one kind for the owners in `ownerNamespace`, holding the objects in `namespace`. */
  informer(ref: ResourceRef, ownerNamespace: string, namespace?: string): Promise<Informer<KubeObject>> {
    return this.#source(ref, { namespace: ref.namespaced ? namespace : undefined, labelSelector: `${this.#namespaceLabel}=${ownerNamespace}` });
  }

  async get(ref: ResourceRef, ownerNamespace: string, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    return (await this.informer(ref, ownerNamespace, namespace)).get(ref.namespaced ? namespace : undefined, name);
  }
}
