import { resolve } from "node:path";
import type { Kustomization } from "../api/kustomize/kustomization.ts";
import type { KubeObject } from "../api/meta.ts";
import { resolveBuildPath } from "../kustomize/build.ts";
import { ReconcileError } from "../runtime/controller/reconciler.ts";
import { CliError } from "./cli_error.ts";
import { buildLocally, type LocalBuildOptions, localTreeRoot } from "./local_build.ts";
import { type LocalSources, sourceKey } from "./local_sources.ts";

/** One Kustomization built locally: its spec and what the controller would apply for it. */
export interface LocalBuild {
  ks: Kustomization;
  objects: KubeObject[];
}

export interface RecursiveBuildOptions extends Omit<LocalBuildOptions, "root"> {
  /** -r: build the Kustomizations found in the output too. */
  recursive: boolean;
  /** --local-sources: where each source's content is on this machine. */
  localSources: LocalSources;
}

/**
 * Builds `path` with `ks`, and with `recursive` every Kustomization in the output after it (depth
 * first), each at its spec.path inside the local tree of its sourceRef. The root's own source is
 * the local tree it is built in: its --local-sources entry if given, else the Git top-level of
 * `path`. Other sources must be given with --local-sources. A Kustomization that lists itself
 * (the usual flux-system layout) is not built again; any longer cycle is an error.
 */
export async function buildRecursively(ks: Kustomization, path: string, opts: RecursiveBuildOptions): Promise<LocalBuild[]> {
  const sources = new Map(opts.localSources);
  const rootSource = sourceOf(ks);
  if (!sources.has(rootSource)) sources.set(rootSource, localTreeRoot(resolve(path)));
  const builds: LocalBuild[] = [];
  const visit = async (ks: Kustomization, dir: string, chain: string[]): Promise<void> => {
    const source = sourceOf(ks);
    const objects = await buildLocally(ks, dir, { ...opts, root: sources.get(source) });
    builds.push({ ks, objects });
    if (!opts.recursive) return;
    const id = idOf(ks);
    for (const obj of objects) {
      if (obj.kind !== "Kustomization" || !obj.apiVersion?.startsWith("kustomize.toolkit.fluxcd.io/")) continue;
      const child = structuredClone(obj) as Kustomization;
      child.metadata.namespace ??= ks.metadata.namespace;
      const childId = idOf(child);
      if (childId === id) continue;
      if (chain.includes(childId)) throw new CliError(`Kustomization cycle: ${[...chain, id, childId].join(" → ")}`);
      const childSource = sourceOf(child);
      const tree = sources.get(childSource);
      if (!tree) throw new CliError(`Kustomization ${childId} builds from ${childSource}, which has no local copy: give --local-sources ${childSource}=<dir>`);
      let childDir: string;
      try {
        childDir = await resolveBuildPath(tree, child.spec.path);
      } catch (err) {
        if (err instanceof ReconcileError) throw new CliError(`Kustomization ${childId}: ${err.message} (${tree})`);
        throw err;
      }
      await visit(child, childDir, [...chain, id]);
    }
  };
  await visit(ks, path, []);
  return builds;
}

function idOf(ks: Kustomization): string {
  return `${ks.metadata.namespace}/${ks.metadata.name}`;
}

function sourceOf(ks: Kustomization): string {
  const ref = ks.spec.sourceRef;
  return sourceKey(ref?.kind ?? "GitRepository", ref?.namespace ?? ks.metadata.namespace!, ref?.name ?? "");
}
