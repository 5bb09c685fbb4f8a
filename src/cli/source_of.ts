import type { KubeObject } from "../api/meta.ts";

/** The object another one reads its artifact from. */
export interface SourceRef {
  kind: string;
  name: string;
  namespace: string;
}

interface WithSources {
  spec?: {
    sourceRef?: { kind: string; name: string; namespace?: string };
    chartRef?: { kind: string; name: string; namespace?: string };
    chart?: { spec?: { sourceRef?: { kind: string; name: string; namespace?: string } } };
  };
}

/**
 * Where an object's artifact comes from: a Kustomization's or HelmChart's sourceRef, a HelmRelease's
 * chartRef, or the HelmChart generated for its chart template (named <namespace>-<name>).
 */
export function sourceOf(obj: KubeObject): SourceRef | undefined {
  const spec = (obj as WithSources).spec;
  const ns = obj.metadata.namespace ?? "";
  if (obj.kind === "HelmRelease") {
    if (spec?.chartRef) return { kind: spec.chartRef.kind, name: spec.chartRef.name, namespace: spec.chartRef.namespace ?? ns };
    const chartSource = spec?.chart?.spec?.sourceRef;
    if (chartSource) return { kind: "HelmChart", name: `${ns}-${obj.metadata.name}`, namespace: chartSource.namespace ?? ns };
    return undefined;
  }
  const ref = spec?.sourceRef;
  return ref ? { kind: ref.kind, name: ref.name, namespace: ref.namespace ?? ns } : undefined;
}
