import type { KubeObject } from "../api/meta.ts";
import { isNotFound } from "../runtime/kube/api_error.ts";
import { kindByName } from "./cli_kinds.ts";
import { isKindNotServed } from "./find_objects.ts";
import { managedBy } from "./managed_by.ts";
import type { Cluster } from "./open_cluster.ts";
import { type SourceRef, sourceOf } from "./source_of.ts";
import { applierBlock, missingBlock, objectBlock, sourceBlock, type TraceBlock } from "./trace_report.ts";

/** Appliers nest (a Kustomization applying Kustomizations…); a chain deeper than this is cut. */
const maxDepth = 20;

/**
 * The trace of one managed object: the object, the Kustomization or HelmRelease that applied it and
 * that one's sources (a HelmRelease's HelmChart, then the chart's repository), then whoever applied
 * that Kustomization or HelmRelease, up to one that nothing manages. A source already shown is not repeated.
 */
export async function traceChain(cluster: Cluster, obj: KubeObject): Promise<TraceBlock[]> {
  const blocks: TraceBlock[] = [objectBlock(obj)];
  const shown = new Set<string>();
  let current = obj;
  for (let depth = 0; depth < maxDepth; depth++) {
    const owner = managedBy(current);
    if (!owner) break;
    const key = `${owner.kind}/${owner.namespace}/${owner.name}`;
    if (shown.has(key)) {
      blocks.push(missingBlock(owner.kind, owner.namespace, owner.name, "Shown above: the chain loops"));
      break;
    }
    shown.add(key);
    const applier = await read(cluster, owner);
    if (typeof applier === "string") {
      blocks.push(missingBlock(owner.kind, owner.namespace, owner.name, `${applier}; ${current.kind}/${current.metadata.name} carries its labels`));
      break;
    }
    const source = appliedFrom(applier);
    blocks.push(applierBlock(applier, source && `${source.kind}/${source.namespace}/${source.name}`));
    await pushSources(cluster, source, blocks, shown);
    current = applier;
  }
  return blocks;
}

/** A HelmRelease's chart as the controller recorded it (status.helmChart), else where sourceOf expects it. */
function appliedFrom(applier: KubeObject): SourceRef | undefined {
  const recorded = (applier.status as { helmChart?: string } | undefined)?.helmChart;
  const slash = recorded?.indexOf("/") ?? -1;
  if (applier.kind === "HelmRelease" && recorded && slash > 0) {
    return { kind: "HelmChart", namespace: recorded.slice(0, slash), name: recorded.slice(slash + 1) };
  }
  return sourceOf(applier);
}

async function pushSources(cluster: Cluster, first: SourceRef | undefined, blocks: TraceBlock[], shown: Set<string>): Promise<void> {
  for (let ref = first, depth = 0; ref && depth < 3; depth++) {
    const key = `${ref.kind}/${ref.namespace}/${ref.name}`;
    if (shown.has(key)) return;
    shown.add(key);
    const source = await read(cluster, ref);
    if (typeof source === "string") {
      blocks.push(missingBlock(ref.kind, ref.namespace, ref.name, source));
      return;
    }
    blocks.push(sourceBlock(source));
    ref = sourceOf(source);
  }
}

/** The object, or why it cannot be read. */
async function read(cluster: Cluster, ref: { kind: string; namespace: string; name: string }): Promise<KubeObject | string> {
  const kind = kindByName(ref.kind);
  if (!kind) return `Unknown kind: Sluice serves no ${ref.kind}`;
  try {
    const obj = await cluster.api.get(kind.ref, ref.namespace, ref.name);
    return { ...obj, apiVersion: obj.apiVersion ?? `${kind.def.group}/${kind.def.version}`, kind: obj.kind ?? kind.def.kind };
  } catch (err) {
    if (isKindNotServed(err)) return `Not served: the cluster has no ${kind.def.plural}.${kind.def.group} CRD`;
    if (isNotFound(err)) return "Not found";
    throw err;
  }
}
