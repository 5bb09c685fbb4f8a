import { Command } from "commander";
import type { KubeObject } from "../api/meta.ts";
import { cliKinds } from "./cli_kinds.ts";
import { type ClusterFlags, withClusterFlags } from "./cluster_flags.ts";
import { confirm } from "./confirm.ts";
import { KindNotServedError, listObjects } from "./find_objects.ts";
import { configDir, loadInstallManifests } from "./install_manifests.ts";
import type { Cluster } from "./open_cluster.ts";
import { Reporter } from "./reporter.ts";
import { runWithCluster } from "./run_with_cluster.ts";

interface UninstallFlags extends ClusterFlags {
  crds?: boolean;
  keepNamespace?: boolean;
  dryRun?: boolean;
  silent?: boolean;
  manifests: string;
}

const examples = `
Examples:
  sluice uninstall                    # remove the controllers; CRDs and your Flux objects stay
  sluice uninstall --crds --silent    # also the CRDs, every Flux object and the namespace (workloads stay)
  sluice uninstall --crds --dry-run
`;

export function uninstallCommand(): Command {
  const cmd = new Command("uninstall")
    .description("remove the Sluice controllers; with --crds also the CRDs, the Flux objects and the namespace")
    .option("--crds", "also delete the CRDs and with them every Flux object (the workloads they applied are kept)")
    .option("--keep-namespace", "with --crds, keep the namespace")
    .option("--dry-run", "only show what would be deleted")
    .option("-s, --silent", "do not ask for confirmation")
    .option("--manifests <dir>", "what was installed, if not from Sluice's own config/", configDir);
  withClusterFlags(cmd);
  return cmd.addHelpText("after", examples).action(async (flags: UninstallFlags) => {
    const objects = loadInstallManifests(flags.manifests, flags.namespace);
    const reporter = new Reporter();
    const what = flags.crds ? "Sluice, its CRDs and every Flux object" : "the Sluice controllers";
    if (!flags.silent && !flags.dryRun && !(await confirm(`Are you sure you want to delete ${what} from the cluster?`))) {
      reporter.warning("nothing deleted");
      return;
    }
    await runWithCluster(flags, (cluster) => uninstall(cluster, objects, flags, reporter));
  });
}

async function uninstall(cluster: Cluster, objects: KubeObject[], flags: UninstallFlags, reporter: Reporter): Promise<void> {
  const dryRun = flags.dryRun;
  const suffix = dryRun ? " (dry run)" : "";
  const manager = objects.filter((o) => o.kind !== "CustomResourceDefinition" && o.kind !== "Namespace").reverse();
  for (const o of manager) await remove(cluster, o, reporter, suffix, dryRun);
  if (!flags.crds) {
    reporter.success(`controllers removed${suffix}; the CRDs, your Flux objects and namespace ${flags.namespace} stay (use --crds to remove them)`);
    return;
  }
  // Without finalizers, deleting the CRDs removes the Flux objects without pruning what they applied.
  const crdNames = new Set(objects.filter((o) => o.kind === "CustomResourceDefinition").map((o) => o.metadata.name));
  for (const kind of cliKinds.filter((k) => crdNames.has(`${k.def.plural}.${k.def.group}`))) {
    let items: KubeObject[];
    try {
      items = (await listObjects({ ...cluster, namespace: undefined }, kind)).items;
    } catch (err) {
      if (err instanceof KindNotServedError) continue;
      throw err;
    }
    for (const obj of items.filter((o) => o.metadata.finalizers?.length)) {
      if (!dryRun) await cluster.api.mergePatch(kind.ref, obj.metadata.namespace, obj.metadata.name!, { metadata: { finalizers: null } });
      reporter.success(`${kind.def.kind}/${obj.metadata.namespace}/${obj.metadata.name} finalizers removed${suffix}`);
    }
  }
  for (const o of objects.filter((o) => o.kind === "CustomResourceDefinition")) await remove(cluster, o, reporter, suffix, dryRun);
  if (!flags.keepNamespace) for (const o of objects.filter((o) => o.kind === "Namespace")) await remove(cluster, o, reporter, suffix, dryRun);
  reporter.success(`uninstall finished${suffix}`);
}

async function remove(cluster: Cluster, o: KubeObject, reporter: Reporter, suffix: string, dryRun?: boolean): Promise<void> {
  const ref = await cluster.api.refFor(o);
  const id = o.metadata.namespace ? `${o.kind}/${o.metadata.namespace}/${o.metadata.name}` : `${o.kind}/${o.metadata.name}`;
  const deleted = await cluster.api.delete(ref, o.metadata.namespace, o.metadata.name!, { dryRun });
  if (deleted) reporter.success(`${id} deleted${suffix}`);
}
