import type { KubeObject } from "../../api/meta.ts";
import { ApiError } from "../kube/api_error.ts";
import type { WatchEvent } from "../kube/client.ts";
import type { ObjectApi } from "../kube/objects.ts";
import { objectKey, type ResourceRef, resourcePath } from "../kube/resource_ref.ts";

export interface InformerEvent<T> {
  type: "add" | "update" | "delete";
  object: T;
  /** The cached object before an update. */
  old?: T;
}

export type InformerHandler<T> = (event: InformerEvent<T>) => void;

export interface InformerOptions<T extends KubeObject = KubeObject> {
  ref: ResourceRef;
  /** Watch one namespace; all when unset. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /**
   * Reduces each object before it is cached and handed to handlers (e.g. to a digest of its data),
   * to keep less of a kind in memory. Must keep metadata.name, namespace and resourceVersion.
   */
  transform?: (obj: T) => T;
  /** Called with every error that made the informer relist (for logs and metrics). */
  onError?: (err: unknown) => void;
}

export type IndexFunc<T> = (obj: T) => string[];

/**
 * One list+watch of one kind, kept in memory. Relists on 410 Gone or any watch error and
 * emits the difference against its cache, so no change is lost across an API server restart.
 */
export class Informer<T extends KubeObject = KubeObject> {
  readonly ref: ResourceRef;
  readonly #api: ObjectApi;
  readonly #opts: InformerOptions<T>;
  readonly #store = new Map<string, T>();
  readonly #handlers = new Set<InformerHandler<T>>();
  readonly #indexers = new Map<string, { fn: IndexFunc<T>; index: Map<string, Set<string>> }>();
  readonly #abort = new AbortController();
  #resourceVersion = "";
  #running = false;
  #synced!: () => void;
  /** Resolves after the first list has filled the cache. */
  readonly synced: Promise<void>;

  constructor(api: ObjectApi, opts: InformerOptions<T>) {
    this.#api = api;
    this.#opts = opts;
    this.ref = opts.ref;
    this.synced = new Promise((resolve) => (this.#synced = resolve));
  }

  /** Registers a handler; it first receives an add for every cached object, unless `replay` is false. */
  on(handler: InformerHandler<T>, opts: { replay?: boolean } = {}): () => void {
    this.#handlers.add(handler);
    if (opts.replay !== false) for (const object of this.#store.values()) handler({ type: "add", object });
    return () => this.#handlers.delete(handler);
  }

  /** Maintains a secondary index, e.g. Kustomizations by the source they reference. */
  addIndex(name: string, fn: IndexFunc<T>): void {
    const index = new Map<string, Set<string>>();
    this.#indexers.set(name, { fn, index });
    for (const [key, obj] of this.#store) this.#indexAdd(index, fn, key, obj);
  }

  byIndex(name: string, value: string): T[] {
    const keys = this.#indexers.get(name)?.index.get(value);
    if (!keys) return [];
    return [...keys].map((k) => this.#store.get(k)!).filter(Boolean);
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.#store.get(objectKey(this.ref.namespaced ? namespace : undefined, name));
  }

  list(namespace?: string): T[] {
    const all = [...this.#store.values()];
    return namespace ? all.filter((o) => o.metadata.namespace === namespace) : all;
  }

  get size(): number {
    return this.#store.size;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#run();
  }

  stop(): void {
    this.#running = false;
    this.#abort.abort();
  }

  async #run(): Promise<void> {
    let failures = 0;
    let needList = true;
    while (this.#running) {
      try {
        if (needList) {
          await this.#relist();
          needList = false;
        }
        const opened = performance.now();
        const delivered = await this.#watch();
        // A watch the server closes at once, with nothing in it, is not healthy: wait before the
        // next one (keeping the resourceVersion) rather than spin.
        if (delivered === 0 && performance.now() - opened < 1_000) {
          failures++;
          await sleep(Math.min(100 * 2 ** Math.min(failures, 6), 5_000), this.#abort.signal);
        } else failures = 0;
      } catch (err) {
        if (!this.#running) return;
        this.#opts.onError?.(err);
        needList = true;
        failures++;
        await sleep(Math.min(100 * 2 ** Math.min(failures, 6), 5_000), this.#abort.signal);
      }
    }
  }

  async #relist(): Promise<void> {
    const { namespace, labelSelector, fieldSelector } = this.#opts;
    const list = await this.#api.listAll<T>(this.ref, namespace, { labelSelector, fieldSelector });
    const seen = new Set<string>();
    for (const item of list.items) {
      // Lists omit apiVersion and kind on items; watches carry them. Keep the cache uniform.
      const obj = { ...item, apiVersion: item.apiVersion ?? apiVersion(this.ref), kind: item.kind ?? this.ref.kind } as T;
      const key = keyOf(obj);
      seen.add(key);
      this.#upsert(key, obj);
    }
    for (const [key, old] of [...this.#store]) {
      if (!seen.has(key)) this.#remove(key, old);
    }
    this.#resourceVersion = list.metadata.resourceVersion;
    this.#synced();
  }

  /** Applies events until the watch ends; returns how many arrived. */
  async #watch(): Promise<number> {
    const { namespace, labelSelector, fieldSelector } = this.#opts;
    const events = this.#api.client.watch<T>(
      resourcePath(this.ref, namespace),
      {
        resourceVersion: this.#resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds: 240 + Math.floor(Math.random() * 120),
        labelSelector,
        fieldSelector,
      },
      this.#abort.signal,
    );
    let delivered = 0;
    for await (const ev of events) {
      delivered++;
      this.#apply(ev);
    }
    return delivered;
  }

  #apply(ev: WatchEvent<T>): void {
    if (ev.type === "ERROR") {
      const status = ev.object as unknown as { code?: number };
      throw new ApiError("WATCH", resourcePath(this.ref), status.code ?? 500, ev.object);
    }
    const obj = ev.object;
    if (obj.metadata?.resourceVersion) this.#resourceVersion = obj.metadata.resourceVersion;
    if (ev.type === "BOOKMARK") return;
    const key = keyOf(obj);
    if (ev.type === "DELETED") {
      const old = this.#store.get(key);
      if (old) this.#remove(key, this.#opts.transform ? this.#opts.transform(obj) : obj);
      return;
    }
    this.#upsert(key, obj);
  }

  #upsert(key: string, full: T): void {
    stripManagedFields(full);
    const obj = this.#opts.transform ? this.#opts.transform(full) : full;
    const old = this.#store.get(key);
    if (old && old.metadata.resourceVersion === obj.metadata.resourceVersion) return;
    this.#store.set(key, obj);
    for (const { fn, index } of this.#indexers.values()) {
      if (old) this.#indexRemove(index, fn, key, old);
      this.#indexAdd(index, fn, key, obj);
    }
    this.#emit(old ? { type: "update", object: obj, old } : { type: "add", object: obj });
  }

  #remove(key: string, obj: T): void {
    const old = this.#store.get(key);
    this.#store.delete(key);
    for (const { fn, index } of this.#indexers.values()) if (old) this.#indexRemove(index, fn, key, old);
    this.#emit({ type: "delete", object: obj });
  }

  #emit(ev: InformerEvent<T>): void {
    for (const h of this.#handlers) {
      try {
        h(ev);
      } catch (err) {
        this.#opts.onError?.(err);
      }
    }
  }

  #indexAdd(index: Map<string, Set<string>>, fn: IndexFunc<T>, key: string, obj: T): void {
    for (const v of fn(obj)) {
      let set = index.get(v);
      if (!set) index.set(v, (set = new Set()));
      set.add(key);
    }
  }

  #indexRemove(index: Map<string, Set<string>>, fn: IndexFunc<T>, key: string, obj: T): void {
    for (const v of fn(obj)) {
      const set = index.get(v);
      set?.delete(key);
      if (set?.size === 0) index.delete(v);
    }
  }
}

function keyOf(obj: KubeObject): string {
  return objectKey(obj.metadata.namespace, obj.metadata.name!);
}

function apiVersion(ref: ResourceRef): string {
  return ref.group ? `${ref.group}/${ref.version}` : ref.version;
}

/** managedFields are large and never read from the cache. */
function stripManagedFields(obj: KubeObject): void {
  if (obj.metadata?.managedFields) delete obj.metadata.managedFields;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}
