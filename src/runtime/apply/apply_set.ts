import { createHash } from "node:crypto";
import type { KubeObject } from "../../api/meta.ts";
import { ApiError, isNotFound } from "../kube/api_error.ts";
import { UnknownKindError } from "../kube/discovery.ts";
import type { ObjectApi } from "../kube/objects.ts";
import type { ResourceRef } from "../kube/resource_ref.ts";
import { applyStage, sortForApply } from "./apply_order.ts";
import { hasDrift } from "./drift.ts";
import { holdsDesired } from "./holds_desired.ts";
import { isImmutableError } from "./immutable_error.ts";
import { parseJsonPointer, withoutPointers } from "./json_pointer.ts";
import { keepIgnoredFields } from "./keep_ignored_fields.ts";
import { mapLimit } from "./map_limit.ts";
import { inventoryId, metadataOf, type ObjectMetadata, subjectOf } from "./object_id.ts";
import { isExcluded, isForceEnabled, isIfNotPresent } from "./object_policy.ts";
import type { OwnedObjects } from "./owned_objects.ts";

export type ApplyAction = "created" | "configured" | "unchanged" | "skipped" | "deleted";

/** One object's outcome, with its inventory id and Kind/ns/name subject. */
export interface ChangeSetEntry extends ObjectMetadata {
  id: string;
  subject: string;
  action: ApplyAction;
  /** The resourceVersion our write produced (created and configured objects). */
  resourceVersion?: string;
}

export interface ApplySetOptions {
  /** Client for dry-runs and applies; an impersonating one when acting as a service account. */
  api: ObjectApi;
  owned: OwnedObjects;
  /** Namespace of the owner, for the owned-objects cache. */
  ownerNamespace: string;
  /** Labels stamped on every object (the owner labels). */
  ownerLabels: Record<string, string>;
  fieldManager: string;
  /** Recreate objects whose immutable fields changed (else only those annotated force: enabled). */
  force: boolean;
  concurrency?: number;
  /** Waits until the objects of a stage that must be ready first (CRDs, Namespaces, classes) are. */
  waitForStage?: (entries: ChangeSetEntry[]) => Promise<void>;
  /**
   * What this owner last applied, by inventory id: the desired object's digest and the live
   * resourceVersion it produced. An object whose desired state and live resourceVersion both
   * match is unchanged without asking the server (the watch would have shown any drift).
   */
  memo?: Map<string, { digest: string; resourceVersion: string }>;
  /**
   * The fields of a desired object to leave alone (drift-ignore rules), as RFC 6901 JSON pointers:
   * left out of drift detection, and never changed by applying to an existing object (see
   * keepIgnoredFields). They are part of the memo's digest, so changed rules check objects again.
   */
  ignoredFields?: (obj: KubeObject) => string[];
  signal?: AbortSignal;
}

/** A failed staged apply: what was applied before the failure is in `entries`. */
export class ApplyError extends Error {
  readonly entries: ChangeSetEntry[];
  constructor(message: string, entries: ChangeSetEntry[], cause?: unknown) {
    super(message, { cause });
    this.name = "ApplyError";
    this.entries = entries;
  }
}

interface Planned {
  obj: KubeObject;
  ref: ResourceRef;
  entry: ChangeSetEntry;
  /** The object as the owned-objects cache shows it; undefined when it has none of ours. */
  live?: KubeObject;
  digest?: string;
  /** Parsed JSON pointers of the fields to leave alone. */
  ignored: string[][];
  /** The action is not known until the server has seen the object (a dry-run, or the apply itself). */
  pending: boolean;
  /** Applied already (the stage's unverified object). */
  written?: boolean;
}

/**
 * Server-side applies objects in stages: CRDs, Namespaces and ClusterRoles, then *Class kinds,
 * then the rest, waiting for the first two stages to be ready. Within a stage nothing is written
 * unless the server accepts every object: each is dry-run first, except one new object that is
 * then written first and alone. Only the objects that would change are applied. The live state
 * comes from the owned-objects watch cache, so an object unchanged since our last apply of it
 * costs no request at all, and any other unchanged object one (its dry-run).
 */
export async function applySet(objects: KubeObject[], opts: ApplySetOptions): Promise<ChangeSetEntry[]> {
  const done: ChangeSetEntry[] = [];
  const stages: KubeObject[][] = [[], [], []];
  const defined = new Set(objects.filter((o) => o.kind === "CustomResourceDefinition").map((o) => crdGroupKind(o)));
  for (const obj of objects) stages[applyStage(obj)].push(withLabels(obj, opts.ownerLabels));
  for (const [i, stage] of stages.entries()) {
    if (stage.length === 0) continue;
    const entries = await applyStageObjects(sortForApply(stage), opts, done, defined);
    done.push(...entries);
    const changed = entries.filter((e) => e.action === "created" || e.action === "configured");
    if (i < 2 && changed.length > 0 && opts.waitForStage) {
      try {
        await opts.waitForStage(changed);
      } catch (err) {
        throw new ApplyError(`${(err as Error).message}`, done, err);
      }
    }
  }
  return done;
}

async function applyStageObjects(objects: KubeObject[], opts: ApplySetOptions, before: ChangeSetEntry[], defined: Set<string>): Promise<ChangeSetEntry[]> {
  const limit = opts.concurrency ?? 8;
  let planned: Planned[];
  try {
    planned = await mapLimit(objects, limit, (obj) => inspect(obj, opts, defined));
    // One object that does not exist yet may go without a dry-run: it is written first and alone,
    // so if the server rejects it nothing of the stage has been written, as the dry-runs promise.
    // Not one with ignored fields: it may exist already without our labels, and must keep those fields.
    const unverified = planned.find((p) => p.pending && !p.live && p.ignored.length === 0);
    await mapLimit(planned.filter((p) => p.pending && p !== unverified), limit, (p) => dryRunPlanned(p, opts));
    if (unverified) await applyUnverified(unverified, opts);
  } catch (err) {
    throw new ApplyError((err as Error).message, before, err);
  }
  const writes = planned.filter((p) => !p.written && (p.entry.action === "created" || p.entry.action === "configured"));
  try {
    await mapLimit(writes, limit, async (p) => {
      try {
        const payload = p.entry.action === "configured" && p.ignored.length > 0 ? await withIgnoredKept(p, opts) : p.obj;
        const applied = await opts.api.apply<KubeObject>(payload, { fieldManager: opts.fieldManager, force: true });
        remember(p, applied, opts);
      } catch (err) {
        throw new Error(`${p.entry.subject} apply failed${reasonOf(err)}: ${(err as Error).message}`, { cause: err });
      }
    });
  } catch (err) {
    // Which writes landed is not known exactly; report the stage as attempted so nothing is pruned.
    throw new ApplyError((err as Error).message, [...before, ...planned.map((p) => p.entry)], err);
  }
  return planned.map((p) => p.entry);
}

/** What is known of an object without asking the server: its kind, live state, policies and last apply. */
async function inspect(obj: KubeObject, opts: ApplySetOptions, defined: Set<string>): Promise<Planned> {
  const meta = metadataOf(obj);
  const subject = subjectOf(meta);
  const entry: ChangeSetEntry = { ...meta, id: inventoryId(meta), subject, action: "unchanged" };
  let ref: ResourceRef;
  // Discovery of a CRD applied moments ago can lag behind its Established condition.
  const deadline = Date.now() + (defined.has(`${meta.group}/${meta.kind}`) ? 30_000 : 0);
  for (;;) {
    try {
      ref = await opts.api.refFor(obj);
      break;
    } catch (err) {
      if (!(err instanceof UnknownKindError)) throw err;
      if (Date.now() >= deadline || opts.signal?.aborted) throw new Error(`${subject} dry-run failed: ${err.message} (is its CRD installed?)`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  if (!ref.namespaced && meta.namespace) {
    delete obj.metadata.namespace;
    entry.namespace = "";
    entry.id = inventoryId(entry);
    entry.subject = subjectOf(entry);
  }
  const ns = ref.namespaced ? meta.namespace : undefined;
  const live = await opts.owned.get(ref, opts.ownerNamespace, ns, meta.name);
  const pointers = opts.ignoredFields?.(obj) ?? [];
  let ignored: string[][];
  try {
    ignored = pointers.map(parseJsonPointer);
  } catch (err) {
    throw new Error(`${entry.subject}: ignored field ${(err as Error).message}`, { cause: err });
  }
  if (isExcluded(obj) || isExcluded(live)) return { obj, ref, live, ignored, entry: { ...entry, action: "skipped" }, pending: false };
  if (isIfNotPresent(obj) && (live ?? (await opts.api.find(ref, ns, meta.name)))) {
    return { obj, ref, live, ignored, entry: { ...entry, action: "skipped" }, pending: false };
  }
  let digest: string | undefined;
  if (opts.memo) {
    const hash = createHash("sha256").update(JSON.stringify(obj));
    if (pointers.length > 0) hash.update(`\0${JSON.stringify(pointers)}`);
    digest = hash.digest("base64");
  }
  const last = opts.memo?.get(entry.id);
  // Unchanged since our last apply of it (with the same ignored fields), and the live object still
  // holds all of it but the ignored fields (changes by others to fields we set show; status
  // updates and fields others own do not).
  const held = () => ignored.some((t) => t.length === 0) || holdsDesired(ignored.length > 0 ? withoutPointers(obj, ignored) : obj, live!);
  if (last && live && last.digest === digest && (last.resourceVersion === live.metadata.resourceVersion || held())) {
    if (last.resourceVersion !== live.metadata.resourceVersion) opts.memo!.set(entry.id, { digest: digest!, resourceVersion: live.metadata.resourceVersion! });
    return { obj, ref, live, ignored, entry, digest, pending: false };
  }
  return { obj, ref, live, ignored, entry, digest, pending: true };
}

/** Asks the server what applying would do; an immutable field is recreated when forced. */
async function dryRunPlanned(p: Planned, opts: ApplySetOptions): Promise<void> {
  const { obj, ref, live, entry } = p;
  const ns = ref.namespaced ? obj.metadata.namespace : undefined;
  let dry: KubeObject;
  try {
    dry = await dryRun(obj, opts);
  } catch (err) {
    if (!isImmutableError(err) || !(opts.force || isForceEnabled(obj) || isForceEnabled(live))) {
      const hint = isImmutableError(err) ? " (set spec.force or the kustomize.toolkit.fluxcd.io/force: enabled annotation to recreate it)" : "";
      throw new Error(`${entry.subject} dry-run failed${reasonOf(err)}: ${(err as Error).message}${hint}`, { cause: err });
    }
    await recreate(ref, ns, obj.metadata.name!, opts);
    dry = await dryRun(obj, opts);
  }
  entry.action = !live ? (dry.metadata.resourceVersion ? "configured" : "created") : hasDrift(dry, live, p.ignored) ? "configured" : "unchanged";
  p.pending = false;
  if (entry.action === "unchanged" && p.digest && live?.metadata.resourceVersion) opts.memo?.set(entry.id, { digest: p.digest, resourceVersion: live.metadata.resourceVersion });
}

/**
 * Applies the stage's one object that skipped its dry-run. Rejected, it is dry-run after all, for
 * the precise error (or, when forced, to recreate it) and written with the rest if that passes.
 */
async function applyUnverified(p: Planned, opts: ApplySetOptions): Promise<void> {
  let applied: KubeObject;
  try {
    applied = await opts.api.apply<KubeObject>(p.obj, { fieldManager: opts.fieldManager, force: true });
  } catch {
    await dryRunPlanned(p, opts);
    return;
  }
  p.written = true;
  p.pending = false;
  // Only our field manager on it: we created it; else it was there already, without our labels.
  const managers = (applied.metadata?.managedFields ?? []) as Array<{ manager?: string }>;
  p.entry.action = managers.every((f) => f.manager === opts.fieldManager) ? "created" : "configured";
  remember(p, applied, opts);
}

/**
 * The payload for an existing object with ignored fields: the object as the server has it now
 * (with its managedFields, which the watch cache drops) decides, per ignored field that differs,
 * whether it is left out or the cluster's value is applied.
 */
async function withIgnoredKept(p: Planned, opts: ApplySetOptions): Promise<KubeObject> {
  const cluster = await opts.api.find<KubeObject>(p.ref, p.ref.namespaced ? p.obj.metadata.namespace : undefined, p.obj.metadata.name!);
  if (!cluster) return p.obj;
  return keepIgnoredFields(p.obj, cluster, p.ignored, opts.fieldManager).payload;
}

function remember(p: Planned, applied: KubeObject, opts: ApplySetOptions): void {
  p.entry.resourceVersion = applied.metadata?.resourceVersion;
  if (p.digest && applied.metadata?.resourceVersion) opts.memo?.set(p.entry.id, { digest: p.digest, resourceVersion: applied.metadata.resourceVersion });
}

function dryRun(obj: KubeObject, opts: ApplySetOptions): Promise<KubeObject> {
  return opts.api.apply<KubeObject>(obj, { fieldManager: opts.fieldManager, force: true, dryRun: true });
}

/** Deletes the object and waits until it is gone, so it can be created again with new immutable fields. */
async function recreate(ref: ResourceRef, namespace: string | undefined, name: string, opts: ApplySetOptions): Promise<void> {
  await opts.api.delete(ref, namespace, name, { propagationPolicy: "Background" });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (opts.signal?.aborted) throw new Error("aborted");
    try {
      await opts.api.get(ref, namespace, name);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${ref.kind}/${namespace ? `${namespace}/` : ""}${name} was not deleted within 60s for recreation`);
}

function withLabels(obj: KubeObject, labels: Record<string, string>): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, labels: { ...obj.metadata.labels, ...labels } } };
}

function reasonOf(err: unknown): string {
  return err instanceof ApiError && err.reason ? ` (${err.reason})` : "";
}

function crdGroupKind(crd: KubeObject): string {
  const spec = (crd as { spec?: { group?: string; names?: { kind?: string } } }).spec;
  return `${spec?.group ?? ""}/${spec?.names?.kind ?? ""}`;
}
