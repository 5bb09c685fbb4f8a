import type { KubeObject } from "../../api/meta.ts";
import { isNotFound } from "./api_error.ts";
import type { KubeClient } from "./client.ts";
import { Discovery } from "./discovery.ts";
import { type ResourceRef, resourcePath } from "./resource_ref.ts";

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

export interface ObjectList<T> {
  metadata: { resourceVersion: string; continue?: string };
  items: T[];
}

export interface ApplyOptions {
  fieldManager: string;
  force?: boolean;
  dryRun?: boolean;
}

export interface DeleteOptions {
  propagationPolicy?: "Background" | "Foreground" | "Orphan";
  /** Delete only if the object still has this uid. */
  uid?: string;
  dryRun?: boolean;
}

/**
 * Typed verbs over the REST API: get, list, apply, patch, delete, for any kind,
 * addressed either by a ResourceRef or by the object's apiVersion and kind.
 */
export class ObjectApi {
  readonly client: KubeClient;
  readonly discovery: Discovery;

  constructor(client: KubeClient, discovery?: Discovery) {
    this.client = client;
    this.discovery = discovery ?? new Discovery(client);
  }

  /** The same verbs acting as another user; discovery is shared. */
  as(client: KubeClient): ObjectApi {
    return client === this.client ? this : new ObjectApi(client, this.discovery);
  }

  refFor(obj: { apiVersion: string; kind: string }): Promise<ResourceRef> {
    return this.discovery.resolve(obj.apiVersion, obj.kind);
  }

  get<T = KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string): Promise<T> {
    return this.client.request<T>({ method: "GET", path: resourcePath(ref, namespace, name) });
  }

  /** GET that answers undefined for NotFound. */
  async find<T = KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string): Promise<T | undefined> {
    try {
      return await this.get<T>(ref, namespace, name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  list<T = KubeObject>(ref: ResourceRef, namespace?: string, opts: ListOptions = {}): Promise<ObjectList<T>> {
    return this.client.request<ObjectList<T>>({ method: "GET", path: resourcePath(ref, namespace), query: { ...opts } });
  }

  /** Every page of a list. */
  async listAll<T = KubeObject>(ref: ResourceRef, namespace?: string, opts: ListOptions = {}): Promise<ObjectList<T>> {
    const items: T[] = [];
    let page = await this.list<T>(ref, namespace, { limit: 500, ...opts });
    items.push(...page.items);
    while (page.metadata.continue) {
      page = await this.list<T>(ref, namespace, { ...opts, limit: 500, continue: page.metadata.continue });
      items.push(...page.items);
    }
    return { metadata: page.metadata, items };
  }

  create<T = KubeObject>(ref: ResourceRef, obj: KubeObject, dryRun = false): Promise<T> {
    return this.client.request<T>({
      method: "POST",
      path: resourcePath(ref, obj.metadata.namespace),
      query: { dryRun: dryRun ? "All" : undefined },
      body: obj,
    });
  }

  /** Server-side apply of a whole object (or its status with subresource "status"). */
  async apply<T = KubeObject>(obj: KubeObject, opts: ApplyOptions, subresource?: "status"): Promise<T> {
    const ref = await this.refFor(obj);
    return this.client.request<T>({
      method: "PATCH",
      path: resourcePath(ref, obj.metadata.namespace, obj.metadata.name!, subresource),
      query: { fieldManager: opts.fieldManager, force: opts.force ? true : undefined, dryRun: opts.dryRun ? "All" : undefined },
      body: obj,
      contentType: "application/apply-patch+yaml",
    });
  }

  /** JSON merge patch (RFC 7386). */
  mergePatch<T = KubeObject>(
    ref: ResourceRef,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    subresource?: "status",
  ): Promise<T> {
    return this.client.request<T>({
      method: "PATCH",
      path: resourcePath(ref, namespace, name, subresource),
      body: patch,
      contentType: "application/merge-patch+json",
    });
  }

  /** JSON patch (RFC 6902). */
  jsonPatch<T = KubeObject>(
    ref: ResourceRef,
    namespace: string | undefined,
    name: string,
    ops: unknown[],
    subresource?: "status",
  ): Promise<T> {
    return this.client.request<T>({
      method: "PATCH",
      path: resourcePath(ref, namespace, name, subresource),
      body: ops,
      contentType: "application/json-patch+json",
    });
  }

  /** Deletes; NotFound counts as done. Returns false when there was nothing to delete. */
  async delete(ref: ResourceRef, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<boolean> {
    try {
      await this.client.request({
        method: "DELETE",
        path: resourcePath(ref, namespace, name),
        query: { dryRun: opts.dryRun ? "All" : undefined },
        // With a DeleteOptions body the server reads dryRun from the body, not the query: set both.
        body: {
          apiVersion: "v1",
          kind: "DeleteOptions",
          propagationPolicy: opts.propagationPolicy ?? "Background",
          ...(opts.uid ? { preconditions: { uid: opts.uid } } : {}),
          ...(opts.dryRun ? { dryRun: ["All"] } : {}),
        },
      });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }
}
