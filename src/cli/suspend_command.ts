import { Command } from "commander";
import { type ClusterFlags, withClusterFlags } from "./cluster_flags.ts";
import { getObject } from "./find_objects.ts";
import { Reporter } from "./reporter.ts";
import { resolveVerbKinds } from "./resolve_kind_words.ts";
import { runWithCluster } from "./run_with_cluster.ts";
import { targetObjects } from "./target_objects.ts";

interface SuspendFlags extends ClusterFlags {
  all?: boolean;
  labelSelector?: string;
}

const examples = `
Examples:
  sluice suspend ks podinfo                  # stop reconciling one Kustomization
  sluice suspend source git podinfo podtato  # several at once
  sluice suspend hr --all -n apps            # every HelmRelease in apps
  sluice suspend ks --all -A                 # every Kustomization in every namespace
`;

export function suspendCommand(): Command {
  const cmd = new Command("suspend")
    .description("stop reconciling objects (sets spec.suspend: true)")
    .argument("<kind...>", "source git|oci|helm|chart|bucket, kustomization (ks), helmrelease (hr), alert, alert-provider or receiver, then names")
    .option("--all", "every object of the kind in the namespace (with -A: in every namespace)")
    .option("-l, --label-selector <selector>", "with --all: only objects with these labels, e.g. team=web");
  withClusterFlags(cmd, { allNamespaces: true });
  return cmd.addHelpText("after", examples).action(async (words: string[], flags: SuspendFlags) => {
    const { kinds, rest } = resolveVerbKinds(words, "suspend");
    const kind = kinds[0];
    const reporter = new Reporter();
    await runWithCluster(flags, async (cluster) => {
      for (const { namespace, name } of await targetObjects(cluster, kind, rest, flags, "suspend")) {
        await getObject(cluster, kind, namespace, name);
        reporter.action(`suspending ${kind.def.kind} ${name} in ${namespace} namespace`);
        await cluster.api.mergePatch(kind.ref, namespace, name, { spec: { suspend: true } });
        reporter.success(`${kind.def.kind} ${name} suspended`);
      }
    });
  });
}
