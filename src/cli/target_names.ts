import { CliError } from "./cli_error.ts";
import type { CliKind } from "./cli_kinds.ts";
import { listObjects } from "./find_objects.ts";
import type { Cluster } from "./open_cluster.ts";

/** The names a verb acts on: those given, or with --all every object of the kind in the namespace. */
export async function targetNames(cluster: Cluster, kind: CliKind, names: string[], all: boolean | undefined, verb: string): Promise<string[]> {
  if (all && names.length) throw new CliError(`give names or --all, not both`);
  if (!all && !names.length) throw new CliError(`sluice ${verb} needs a name (or --all for every ${kind.def.kind} in the namespace)`);
  if (!all) return names;
  const { items } = await listObjects(cluster, kind);
  if (!items.length) throw new CliError(`no ${kind.def.kind} objects found in ${cluster.namespace} namespace`);
  return items.map((o) => o.metadata.name!);
}
