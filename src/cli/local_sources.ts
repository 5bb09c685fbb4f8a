import { resolve } from "node:path";
import { InvalidArgumentError } from "commander";
import { kustomizationSourceKinds as sourceKinds } from "../api/kustomize/kustomization.ts";

/** Local checkouts of sources, keyed `Kind/namespace/name`, each an absolute directory. */
export type LocalSources = Map<string, string>;

/** The key of a source in LocalSources. */
export function sourceKey(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

/**
 * Commander accumulator for `--local-sources Kind/namespace/name=dir` (repeatable, or a comma
 * list, as flux takes it): each entry maps a source to the local directory holding its content.
 */
export function parseLocalSources(value: string, previous: LocalSources | undefined): LocalSources {
  const sources: LocalSources = new Map(previous ?? []);
  for (const entry of value.split(",").filter((e) => e.trim() !== "")) {
    const eq = entry.indexOf("=");
    const ref = eq < 0 ? "" : entry.slice(0, eq).trim();
    const dir = eq < 0 ? "" : entry.slice(eq + 1).trim();
    const parts = ref.split("/");
    if (parts.length !== 3 || parts.some((p) => p === "") || dir === "") {
      throw new InvalidArgumentError(`${JSON.stringify(entry)} is not Kind/namespace/name=dir, e.g. GitRepository/flux-system/fleet=./fleet`);
    }
    const [kind, namespace, name] = parts;
    const known = sourceKinds.find((k) => k.toLowerCase() === kind.toLowerCase());
    if (!known) throw new InvalidArgumentError(`${JSON.stringify(kind)} is not a source kind: one of ${sourceKinds.join(", ")}`);
    sources.set(sourceKey(known, namespace, name), resolve(dir));
  }
  return sources;
}
