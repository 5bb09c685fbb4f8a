import { Command } from "commander";
import { type ClusterFlags, withClusterFlags } from "./cluster_flags.ts";
import { getObject } from "./find_objects.ts";
import { Reporter } from "./reporter.ts";
import { resolveKindWords } from "./resolve_kind_words.ts";
import { runWithCluster } from "./run_with_cluster.ts";
import { targetNames } from "./target_names.ts";

interface SuspendFlags extends ClusterFlags {
  all?: boolean;
}

const examples = `
Examples:
  sluice suspend ks podinfo                  # stop reconciling one Kustomization
  sluice suspend source git podinfo podtato  # several at once
  sluice suspend hr --all -n apps            # every HelmRelease in apps
`;

export function suspendCommand(): Command {
  const cmd = new Command("suspend")
    .description("stop reconciling objects (sets spec.suspend: true)")
    .argument("<kind...>", "source git|oci|helm|chart|bucket, kustomization (ks), helmrelease (hr), alert, alert-provider or receiver, then names")
    .option("--all", "every object of the kind in the namespace");
  withClusterFlags(cmd);
  return cmd.addHelpText("after", examples).action(async (words: string[], flags: SuspendFlags) => {
    const { kinds, rest } = resolveKindWords(words, { verb: "suspend", accepts: (k) => k.suspendable });
    const kind = kinds[0];
    const reporter = new Reporter();
    await runWithCluster(flags, async (cluster) => {
      for (const name of await targetNames(cluster, kind, rest, flags.all, "suspend")) {
        await getObject(cluster, kind, flags.namespace, name);
        reporter.action(`suspending ${kind.def.kind} ${name} in ${flags.namespace} namespace`);
        await cluster.api.mergePatch(kind.ref, flags.namespace, name, { spec: { suspend: true } });
        reporter.success(`${kind.def.kind} ${name} suspended`);
      }
    });
  });
}
