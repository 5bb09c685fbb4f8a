import type { KubeObject } from "../../api/meta.ts";
import type { ObjectApi } from "../kube/objects.ts";
import type { ResourceRef } from "../kube/resource_ref.ts";
import { Informer, type InformerOptions } from "./informer.ts";

/** A named InformerOptions.transform: informers with the same name and scope are one. */
export interface InformerTransform {
  name: string;
  fn: (obj: KubeObject) => KubeObject;
}

/**
 * The process-wide set of informers: one list+watch per kind (and scope), shared by every
 * controller that reads that kind. Reconcilers read from here instead of calling the API.
 */
export class InformerCache {
  readonly #api: ObjectApi;
  readonly #informers = new Map<string, Informer>();
  readonly #defaults: Pick<InformerOptions, "namespace" | "labelSelector" | "onError">;
  #started = false;

  constructor(api: ObjectApi, defaults: Pick<InformerOptions, "namespace" | "labelSelector" | "onError"> = {}) {
    this.#api = api;
    this.#defaults = defaults;
  }

  /**
   * The informer for a kind. `scoped` kinds (the controllers' own) honour the cache's namespace
   * and label selector (sharding); `scoped: "namespace"` honours only the namespace (e.g. the
   * Secrets that objects reference); others, such as applied objects, take their own options.
   * A `transform` (see InformerOptions) makes an informer of its own, shared by its name.
   */
  informer<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    opts: { scoped?: boolean | "namespace"; namespace?: string; labelSelector?: string; transform?: InformerTransform } = {},
  ): Informer<T> {
    const namespace = opts.scoped ? this.#defaults.namespace : opts.namespace;
    const labelSelector = opts.scoped === true ? this.#defaults.labelSelector : opts.labelSelector;
    const key = [ref.group, ref.version, ref.resource, namespace ?? "", labelSelector ?? "", opts.transform?.name ?? ""].join("|");
    let inf = this.#informers.get(key);
    if (!inf) {
      inf = new Informer(this.#api, { ref, namespace, labelSelector, transform: opts.transform?.fn, onError: this.#defaults.onError });
      this.#informers.set(key, inf);
      if (this.#started) inf.start();
    }
    return inf as unknown as Informer<T>;
  }

  start(): void {
    this.#started = true;
    for (const inf of this.#informers.values()) inf.start();
  }

  async waitForSync(): Promise<void> {
    await Promise.all([...this.#informers.values()].map((i) => i.synced));
  }

  stop(): void {
    for (const inf of this.#informers.values()) inf.stop();
  }
}
