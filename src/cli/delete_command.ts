import { Command } from "commander";
import { CliError } from "./cli_error.ts";
import { type ClusterFlags, withClusterFlags } from "./cluster_flags.ts";
import { confirm } from "./confirm.ts";
import { getObject } from "./find_objects.ts";
import { Reporter } from "./reporter.ts";
import { resolveVerbKinds } from "./resolve_kind_words.ts";
import { runWithCluster } from "./run_with_cluster.ts";

interface DeleteFlags extends ClusterFlags {
  silent?: boolean;
}

const examples = `
Examples:
  sluice delete ks podinfo                   # asks first
  sluice delete source git podinfo --silent  # no question (scripts, CI)
`;

export function deleteCommand(): Command {
  const cmd = new Command("delete")
    .description("delete an object; a Kustomization or HelmRelease first removes what it applied (if it prunes)")
    .argument("<kind...>", "source git|oci|helm|chart|bucket|external, kustomization (ks), helmrelease (hr), alert, alert-provider or receiver, then the name")
    .option("-s, --silent", "do not ask for confirmation");
  withClusterFlags(cmd);
  return cmd.addHelpText("after", examples).action(async (words: string[], flags: DeleteFlags) => {
    const { kinds, rest } = resolveVerbKinds(words, "delete");
    if (rest.length !== 1) throw new CliError(`sluice delete needs exactly one name, got ${rest.length ? rest.join(" ") : "none"}`);
    const kind = kinds[0];
    const name = rest[0];
    const reporter = new Reporter();
    await runWithCluster(flags, async (cluster) => {
      const obj = await getObject(cluster, kind, flags.namespace, name);
      const id = `${kind.def.kind} ${flags.namespace}/${name}`;
      if (!flags.silent && !(await confirm(`Are you sure you want to delete ${id}?`))) {
        reporter.warning("nothing deleted");
        return;
      }
      reporter.action(`deleting ${kind.def.kind} ${name} in ${flags.namespace} namespace`);
      await cluster.api.delete(kind.ref, flags.namespace, name, { uid: obj.metadata.uid });
      const finalizing = (obj.metadata.finalizers ?? []).length > 0;
      reporter.success(finalizing ? `${kind.def.kind} deleted; its controller is finalizing it` : `${kind.def.kind} deleted`);
    });
  });
}
