import { Command } from "commander";
import { CliError } from "./cli_error.ts";
import { cleanObject } from "./clean_object.ts";
import { type ClusterFlags, withClusterFlags } from "./cluster_flags.ts";
import { getObject, listObjects } from "./find_objects.ts";
import { resolveVerbKinds } from "./resolve_kind_words.ts";
import { runWithCluster } from "./run_with_cluster.ts";
import { yamlDocuments } from "./object_output.ts";

interface ExportFlags extends ClusterFlags {
  all?: boolean;
}

const examples = `
Examples:
  sluice export source git podinfo > podinfo.yaml
  sluice export ks --all -n apps              # every Kustomization in apps
  sluice export all > cluster.yaml            # every Flux object in flux-system
`;

export function exportCommand(): Command {
  const cmd = new Command("export")
    .description("print objects as clean YAML to keep in Git: no status and no fields the server sets")
    .argument("<kind...>", "all, sources, source git|oci|helm|chart|bucket|external, kustomization (ks), helmrelease (hr), alert, alert-provider or receiver, then names")
    .option("--all", "every object of the kind in the namespace");
  withClusterFlags(cmd);
  return cmd.addHelpText("after", examples).action(async (words: string[], flags: ExportFlags) => {
    const { kinds, rest } = resolveVerbKinds(words, "export");
    const several = kinds.length > 1;
    if (several && rest.length) throw new CliError("names go with one kind, e.g. `sluice export ks podinfo`");
    if (!several && !flags.all && !rest.length) throw new CliError(`sluice export needs a name (or --all for every ${kinds[0].def.kind} in the namespace)`);
    if (flags.all && rest.length) throw new CliError("give names or --all, not both");
    await runWithCluster(flags, async (cluster) => {
      const docs: string[] = [];
      for (const kind of kinds) {
        const objects = rest.length
          ? await Promise.all(rest.map((name) => getObject(cluster, kind, flags.namespace, name)))
          : (await listObjects(cluster, kind).catch((err) => (several ? { items: [] } : Promise.reject(err)))).items;
        docs.push(yamlDocuments(objects.map(cleanObject)));
      }
      if (!docs.length) throw new CliError(`no ${several ? "Flux" : kinds[0].def.kind} objects found in ${flags.namespace} namespace`);
      process.stdout.write(docs.join(""));
    });
  });
}
