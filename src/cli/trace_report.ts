import type { Condition, KubeObject } from "../api/meta.ts";
import { revisionOf } from "./status_cells.ts";
import { kindByName } from "./cli_kinds.ts";

/** One block of `sluice trace`: labelled lines, the first naming the object (e.g. ["Kustomization", "apps"]). */
export type TraceBlock = Array<[label: string, value: string]>;

/** The blocks as flux trace prints them: aligned `Label: value` lines, blocks separated by `---`. */
export function formatTrace(blocks: TraceBlock[]): string {
  const width = Math.max(0, ...blocks.flatMap((b) => b.map(([label]) => label.length))) + 3;
  return `${blocks.map((b) => b.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`).join("\n")).join("\n---\n")}\n`;
}

interface Observed {
  spec?: {
    suspend?: boolean;
    url?: string;
    path?: string;
    targetNamespace?: string;
    endpoint?: string;
    bucketName?: string;
    chart?: string;
    version?: string;
    ref?: { branch?: string; tag?: string; semver?: string; commit?: string; name?: string; digest?: string };
  };
  status?: { conditions?: Condition[]; artifact?: { revision?: string; metadata?: Record<string, string> } };
}

/** The traced object itself. */
export function objectBlock(obj: KubeObject): TraceBlock {
  const block: TraceBlock = [["Object", `${obj.kind}/${obj.metadata.name}`]];
  if (obj.metadata.namespace) block.push(["Namespace", obj.metadata.namespace]);
  block.push(["Status", "Managed by Sluice"]);
  return block;
}

/**
 * A Kustomization or HelmRelease that applied the object before it in the trace: where it applies
 * to, what it applied, from which source, and how its last reconcile went.
 */
export function applierBlock(obj: KubeObject, source: string | undefined): TraceBlock {
  const o = obj as Observed;
  const block: TraceBlock = [[obj.kind, obj.metadata.name!], ["Namespace", obj.metadata.namespace ?? ""]];
  if (o.spec?.targetNamespace) block.push(["Target", o.spec.targetNamespace]);
  if (obj.kind === "Kustomization") block.push(["Path", o.spec?.path ?? ""]);
  if (source) block.push(["Source", source]);
  const kind = kindByName(obj.kind);
  block.push(["Revision", kind ? revisionOf(kind, obj) : ""]);
  return [...block, ...statusLines(obj)];
}

/** A source: its address, the reference it follows, the revision it holds and its last reconcile. */
export function sourceBlock(obj: KubeObject): TraceBlock {
  const o = obj as Observed;
  const spec = o.spec ?? {};
  const block: TraceBlock = [[obj.kind, obj.metadata.name!], ["Namespace", obj.metadata.namespace ?? ""]];
  if (spec.url) block.push(["URL", spec.url]);
  if (obj.kind === "Bucket") block.push(["Endpoint", spec.endpoint ?? ""], ["Bucket", spec.bucketName ?? ""]);
  if (obj.kind === "HelmChart") block.push(["Chart", spec.chart ?? ""], ["Version", spec.version ?? "*"]);
  const ref = spec.ref ?? {};
  if (ref.digest) block.push(["Digest", ref.digest]);
  else if (ref.semver) block.push(["Tag", ref.semver]);
  else if (ref.tag) block.push(["Tag", ref.tag]);
  else if (ref.name) block.push(["Reference", ref.name]);
  else if (ref.branch) block.push(["Branch", ref.branch]);
  if (ref.commit) block.push(["Commit", ref.commit]);
  const artifact = o.status?.artifact;
  if (artifact?.revision) block.push(["Revision", artifact.revision]);
  const origin = artifact?.metadata ?? {};
  if (origin["org.opencontainers.image.source"]) block.push(["Origin Source", origin["org.opencontainers.image.source"]]);
  if (origin["org.opencontainers.image.revision"]) block.push(["Origin Revision", origin["org.opencontainers.image.revision"]]);
  return [...block, ...statusLines(obj)];
}

/** A link of the chain that is named but cannot be read. */
export function missingBlock(kind: string, namespace: string, name: string, why: string): TraceBlock {
  return [[kind, name], ["Namespace", namespace], ["Status", why]];
}

/** Status and Message from the Ready condition, as flux trace words them; suspension is said first. */
export function statusLines(obj: KubeObject): TraceBlock {
  const o = obj as Observed;
  const lines: TraceBlock = [];
  if (o.spec?.suspend) lines.push(["Suspended", "True"]);
  const ready = o.status?.conditions?.find((c) => c.type === "Ready");
  if (!ready) return [...lines, ["Status", "Unknown"]];
  if (ready.status === "False") lines.push(["Status", `Last reconciliation failed at ${ready.lastTransitionTime}`]);
  else if (ready.status === "True") lines.push(["Status", `Last reconciled at ${ready.lastTransitionTime}`]);
  else lines.push(["Status", `Reconciling since ${ready.lastTransitionTime}`]);
  lines.push(["Message", ready.message]);
  return lines;
}
