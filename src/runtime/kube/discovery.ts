import { ApiError } from "./api_error.ts";
import type { KubeClient } from "./client.ts";
import { type ResourceRef, splitApiVersion } from "./resource_ref.ts";

interface ApiResourceList {
  resources: Array<{ name: string; kind: string; namespaced: boolean }>;
}

/** Error for an apiVersion/kind the cluster does not serve (e.g. a CRD not installed yet). */
export class UnknownKindError extends Error {}

/**
 * Maps apiVersion + kind to its REST resource. One request per group version, cached;
 * a miss re-reads the group version once, so CRDs created a moment ago are found.
 */
export class Discovery {
  readonly #client: KubeClient;
  readonly #byGroupVersion = new Map<string, Promise<Map<string, ResourceRef>>>();

  constructor(client: KubeClient) {
    this.#client = client;
  }

  /** Registers a kind without asking the server (our own CRDs, well-known kinds). */
  seed(ref: ResourceRef): void {
    const gv = ref.group ? `${ref.group}/${ref.version}` : ref.version;
    const existing = this.#byGroupVersion.get(gv);
    if (existing) {
      void existing.then((m) => m.set(ref.kind, ref));
      return;
    }
    this.#byGroupVersion.set(gv, Promise.resolve(new Map([[ref.kind, ref]])));
  }

  async resolve(apiVersion: string, kind: string): Promise<ResourceRef> {
    const cached = await this.#load(apiVersion, false);
    const hit = cached.get(kind);
    if (hit) return hit;
    const fresh = await this.#load(apiVersion, true);
    const found = fresh.get(kind);
    if (!found) throw new UnknownKindError(`no kind ${kind} is served in ${apiVersion}`);
    return found;
  }

  #load(apiVersion: string, refresh: boolean): Promise<Map<string, ResourceRef>> {
    let entry = this.#byGroupVersion.get(apiVersion);
    if (!entry || refresh) {
      entry = this.#fetch(apiVersion, entry);
      this.#byGroupVersion.set(apiVersion, entry);
      entry.catch(() => this.#byGroupVersion.delete(apiVersion));
    }
    return entry;
  }

  async #fetch(apiVersion: string, previous?: Promise<Map<string, ResourceRef>>): Promise<Map<string, ResourceRef>> {
    const { group, version } = splitApiVersion(apiVersion);
    const seeded = previous ? await previous.catch(() => new Map<string, ResourceRef>()) : new Map<string, ResourceRef>();
    let list: ApiResourceList;
    try {
      list = await this.#client.request<ApiResourceList>({
        method: "GET",
        path: group ? `/apis/${group}/${version}` : `/api/${version}`,
      });
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) return seeded;
      throw err;
    }
    const map = new Map(seeded);
    for (const r of list.resources) {
      if (r.name.includes("/")) continue;
      map.set(r.kind, { group, version, resource: r.name, kind: r.kind, namespaced: r.namespaced });
    }
    return map;
  }
}
