import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import type { Kustomization } from "../api/kustomize/kustomization.ts";
import { CliError } from "./cli_error.ts";
import { kindByName } from "./cli_kinds.ts";
import { getObject } from "./find_objects.ts";
import type { Cluster } from "./open_cluster.ts";

/**
 * The Kustomization whose spec drives a local build: from --kustomization-file, or the cluster; with
 * `ignoreNotFound` (diff --ignore-not-found) one missing from the cluster is built with an empty spec.
 */
export async function kustomizationFor(
  name: string,
  namespace: string,
  file: string | undefined,
  cluster: Cluster | undefined,
  ignoreNotFound = false,
): Promise<Kustomization> {
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      throw new CliError(`cannot read --kustomization-file ${file}: ${(err as Error).message}`);
    }
    const docs = parseAllDocuments(text).map((d) => d.toJS() as Kustomization | null);
    const ks = docs.find((d) => d?.kind === "Kustomization" && d.apiVersion?.startsWith("kustomize.toolkit.fluxcd.io/") && d.metadata?.name === name);
    if (!ks) throw new CliError(`${file} has no Kustomization named ${JSON.stringify(name)}`);
    ks.metadata.namespace ??= namespace;
    return ks;
  }
  if (!cluster) return bareKustomization(name, namespace);
  const kind = kindByName("Kustomization")!;
  if (ignoreNotFound) return (await cluster.api.find<Kustomization>(kind.ref, namespace, name)) ?? bareKustomization(name, namespace);
  return (await getObject(cluster, kind, namespace, name)) as Kustomization;
}

/** Nothing but the name, as flux builds with for --dry-run without a file. */
function bareKustomization(name: string, namespace: string): Kustomization {
  return {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    metadata: { name, namespace },
    spec: { interval: "10m", prune: false, sourceRef: { kind: "GitRepository", name } },
  };
}
