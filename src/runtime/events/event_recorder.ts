import { createHash } from "node:crypto";
import { hostname } from "node:os";
import { request } from "undici";
import type { KubeObject } from "../../api/meta.ts";
import type { Logger } from "../ops/logger.ts";
import type { ObjectApi } from "../kube/objects.ts";
import { type ResourceRef } from "../kube/resource_ref.ts";

export type EventType = "Normal" | "Warning" | "Trace";

const eventRef: ResourceRef = { group: "", version: "v1", resource: "events", kind: "Event", namespaced: true };
const userMetadataPrefix = "event.toolkit.fluxcd.io/";
/** The same event for the same object is written at most once per this window. */
const dedupWindowMs = 5 * 60_000;

export interface RecorderOptions {
  controller: string;
  /** --events-addr: where Flux-format events are POSTed (notification-controller). */
  eventsAddr?: string;
  log: Logger;
}

/**
 * Records Kubernetes Events with Flux's annotations and forwards them, as Flux's event JSON,
 * to the notification address. Repeats within a window are dropped: no API call for news nobody needs.
 */
export class EventRecorder {
  readonly #api: ObjectApi;
  readonly #opts: RecorderOptions;
  readonly #recent = new Map<string, number>();
  readonly #instance = hostname();

  constructor(api: ObjectApi, opts: RecorderOptions) {
    this.#api = api;
    this.#opts = opts;
  }

  /** metadata keys without a prefix (revision, token…) get the object's group as prefix. */
  async record(obj: KubeObject, type: EventType, reason: string, message: string, metadata: Record<string, string> = {}): Promise<void> {
    const group = obj.apiVersion.split("/")[0];
    const annotations: Record<string, string> = {};
    for (const [k, v] of Object.entries(metadata)) annotations[k.includes("/") ? k : `${group}/${k}`] = v;
    for (const [k, v] of Object.entries(obj.metadata.annotations ?? {})) {
      if (k.startsWith(userMetadataPrefix)) annotations[k] = v;
    }
    // A digest, not the text: change logs can run to thousands of lines and 10,000 keys are kept.
    const key = createHash("sha256").update([obj.metadata.uid, type, reason, message, JSON.stringify(annotations)].join("\u0000")).digest("base64");
    const now = Date.now();
    const last = this.#recent.get(key);
    if (last && now - last < dedupWindowMs) return;
    this.#recent.set(key, now);
    if (this.#recent.size > 10_000) this.#prune(now);
    await Promise.all([this.#writeEvent(obj, type, reason, message, annotations), this.#forward(obj, type, reason, message, annotations)]);
  }

  #prune(now: number): void {
    for (const [k, t] of this.#recent) if (now - t >= dedupWindowMs) this.#recent.delete(k);
  }

  async #writeEvent(obj: KubeObject, type: EventType, reason: string, message: string, annotations: Record<string, string>): Promise<void> {
    const ts = new Date().toISOString();
    const namespace = obj.metadata.namespace ?? "default";
    try {
      await this.#api.create(eventRef, {
        apiVersion: "v1",
        kind: "Event",
        metadata: {
          name: `${obj.metadata.name}.${Date.now().toString(16)}${Math.floor(Math.random() * 0xffff).toString(16)}`,
          namespace,
          annotations,
        },
        involvedObject: {
          apiVersion: obj.apiVersion,
          kind: obj.kind,
          name: obj.metadata.name,
          namespace: obj.metadata.namespace,
          uid: obj.metadata.uid,
          resourceVersion: obj.metadata.resourceVersion,
        },
        type: type === "Trace" ? "Normal" : type,
        reason,
        message: message.slice(0, 39_000),
        firstTimestamp: ts,
        lastTimestamp: ts,
        count: 1,
        source: { component: this.#opts.controller },
        reportingComponent: this.#opts.controller,
        reportingInstance: this.#instance,
      });
    } catch (err) {
      this.#opts.log.warn({ err: String(err), reason }, "could not record event");
    }
  }

  async #forward(obj: KubeObject, type: EventType, reason: string, message: string, metadata: Record<string, string>): Promise<void> {
    const addr = this.#opts.eventsAddr;
    if (!addr || type === "Trace" || !obj.metadata.name || !obj.metadata.namespace) return;
    const body = JSON.stringify({
      involvedObject: {
        kind: obj.kind,
        namespace: obj.metadata.namespace,
        name: obj.metadata.name,
        uid: obj.metadata.uid,
        apiVersion: obj.apiVersion,
        resourceVersion: obj.metadata.resourceVersion,
      },
      severity: type === "Warning" ? "error" : "info",
      timestamp: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      message: message.slice(0, 39_000),
      reason,
      metadata,
      reportingController: this.#opts.controller,
      reportingInstance: this.#instance,
    });
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const res = await request(addr, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
          headersTimeout: 5_000,
          bodyTimeout: 5_000,
        });
        await res.body.dump();
        if (res.statusCode < 500) return;
      } catch (err) {
        if (attempt === 2) this.#opts.log.warn({ err: String(err), addr }, "could not forward event");
      }
      await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
    }
  }
}
