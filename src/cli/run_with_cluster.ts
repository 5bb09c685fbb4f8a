import type { ClusterFlags } from "./cluster_flags.ts";
import { CliError } from "./cli_error.ts";
import { describeError } from "./describe_error.ts";
import { type Cluster, openCluster } from "./open_cluster.ts";

/** Opens the cluster, runs one command against it, closes it, and turns any failure into one line. */
export async function runWithCluster<R>(flags: ClusterFlags, fn: (cluster: Cluster) => Promise<R>): Promise<R> {
  let cluster: Cluster;
  try {
    cluster = openCluster(flags);
  } catch (err) {
    throw new CliError(describeError(err));
  }
  try {
    return await fn(cluster);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(describeError(err, cluster.server));
  } finally {
    await cluster.close().catch(() => undefined);
  }
}
