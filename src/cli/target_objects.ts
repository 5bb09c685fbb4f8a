import { CliError } from "./cli_error.ts";
import type { CliKind } from "./cli_kinds.ts";
import type { ClusterFlags } from "./cluster_flags.ts";
import { listObjects } from "./find_objects.ts";
import type { Cluster } from "./open_cluster.ts";

/** One object a verb acts on. */
export interface ObjectTarget {
  namespace: string;
  name: string;
}

/**
 * The objects a verb acts on: the names given (in -n's namespace), or with --all every object of the
 * kind in the namespace, or with --all -A in every namespace; -l narrows --all to matching labels.
 */
export async function targetObjects(
  cluster: Cluster,
  kind: CliKind,
  names: string[],
  flags: ClusterFlags & { all?: boolean; labelSelector?: string },
  verb: string,
): Promise<ObjectTarget[]> {
  if (flags.all && names.length) throw new CliError(`give names or --all, not both`);
  if (flags.allNamespaces && !flags.all) {
    throw new CliError(`-A needs --all: \`sluice ${verb} ${kind.words.join(" ")} --all -A\` acts on every ${kind.def.kind} in every namespace; names are looked up in one namespace (-n)`);
  }
  if (flags.labelSelector && !flags.all) throw new CliError(`-l picks objects for --all: give --all or names, not names and -l`);
  if (!flags.all && !names.length) throw new CliError(`sluice ${verb} needs a name (or --all for every ${kind.def.kind} in the namespace)`);
  if (!flags.all) return [...new Set(names)].map((name) => ({ namespace: flags.namespace, name }));
  const { items } = await listObjects(cluster, kind, { labelSelector: flags.labelSelector });
  if (!items.length) {
    const where = cluster.namespace ? `${cluster.namespace} namespace` : "any namespace";
    throw new CliError(`no ${kind.def.kind} objects found in ${where}${flags.labelSelector ? ` with labels ${flags.labelSelector}` : ""}`);
  }
  return items.map((o) => ({ namespace: o.metadata.namespace!, name: o.metadata.name! }));
}
