import { Command } from "commander";
import { cliKinds } from "./cli_kinds.ts";
import { type ClusterFlags, withClusterFlags } from "./cluster_flags.ts";
import { KindNotServedError, listObjects, notServed } from "./find_objects.ts";
import { formatTable } from "./format_table.ts";
import { formatStorage, type ReconcilerStats, reconcilerStats } from "./reconciler_stats.ts";
import { runWithCluster } from "./run_with_cluster.ts";

const examples = `
Examples:
  sluice stats                   # counts in flux-system
  sluice stats -n apps
  sluice stats -A                # the whole cluster

RUNNING counts objects that are not suspended and FAILING those whose Ready condition is False,
as flux stats does; STORAGE adds up the artifact sizes of each source kind.
`;

/** `sluice stats`: per Flux kind, how many objects run, fail and are suspended, and the sources' artifact storage. */
export function statsCommand(): Command {
  const cmd = new Command("stats")
    .description("count Flux objects per kind: running, failing, suspended, and the storage sources' artifacts take");
  withClusterFlags(cmd, { allNamespaces: true });
  return cmd.addHelpText("after", examples).action(async (flags: ClusterFlags) => {
    await runWithCluster(flags, async (cluster) => {
      const counted = await Promise.all(
        cliKinds.map(async (kind): Promise<ReconcilerStats | undefined> => {
          try {
            return reconcilerStats(kind, (await listObjects(cluster, kind)).items);
          } catch (err) {
            if (err instanceof KindNotServedError) return undefined;
            throw err;
          }
        }),
      );
      if (counted.every((c) => c === undefined)) throw notServed(cliKinds[0]);
      // A kind whose CRD is missing has no objects: a row of zeros, as flux prints it.
      const zero: ReconcilerStats = { running: 0, failing: 0, suspended: 0 };
      const rows = cliKinds.map((kind, i) => {
        const s = counted[i] ?? zero;
        return [kind.def.kind, String(s.running), String(s.failing), String(s.suspended), formatStorage(s.storageBytes)];
      });
      for (const line of formatTable(["RECONCILERS", "RUNNING", "FAILING", "SUSPENDED", "STORAGE"], rows)) process.stdout.write(`${line}\n`);
    });
  });
}
