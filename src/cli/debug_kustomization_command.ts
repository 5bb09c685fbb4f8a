import { Command } from "commander";
import { stringify } from "yaml";
import type { Kustomization } from "../api/kustomize/kustomization.ts";
import { readConfig } from "../kustomize/config_refs.ts";
import { loadVariables } from "../kustomize/substitute.ts";
import { CliError } from "./cli_error.ts";
import { kindByName } from "./cli_kinds.ts";
import { type ClusterFlags, withClusterFlags } from "./cluster_flags.ts";
import { getObject } from "./find_objects.ts";
import { parseObjectName } from "./object_name.ts";
import { runWithCluster } from "./run_with_cluster.ts";

interface DebugKustomizationFlags extends ClusterFlags {
  showStatus?: boolean;
  showVars?: boolean;
}

const examples = `
Examples:
  sluice debug kustomization podinfo                 # the status as YAML
  sluice debug ks apps -n apps --show-vars > apps.env # postBuild variables, as the controller resolves them
`;

/** `sluice debug kustomization <name>`: the status as YAML, or the final postBuild variables in dotenv form. */
export function debugKustomizationCommand(): Command {
  const cmd = new Command("kustomization")
    .alias("ks")
    .description("print a Kustomization's status, or the postBuild substitution variables it resolves to (Secret values included)")
    .argument("<name>", "name of the Kustomization", parseObjectName)
    .option("--show-status", "print the status as YAML (the default)")
    .option("--show-vars", "print the final substitution variables as sorted KEY=value lines: substituteFrom, then substitute over it");
  withClusterFlags(cmd);
  return cmd.addHelpText("after", examples).action(async (name: string, flags: DebugKustomizationFlags) => {
    if (flags.showStatus && flags.showVars) throw new CliError("--show-status and --show-vars cannot be used together: pick one");
    const kind = kindByName("Kustomization")!;
    await runWithCluster(flags, async (cluster) => {
      const ks = (await getObject(cluster, kind, flags.namespace, name)) as Kustomization;
      if (!flags.showVars) {
        process.stdout.write(stringify(ks.status ?? {}, { lineWidth: 0 }));
        return;
      }
      let vars: Record<string, string>;
      try {
        vars = await loadVariables(ks, (k, namespace, n) => readConfig({ api: cluster.api }, k, namespace, n));
      } catch (err) {
        throw new CliError(`Kustomization '${flags.namespace}/${name}': ${(err as Error).message}`);
      }
      process.stdout.write(dotenv(vars));
    });
  });
}

/** KEY=value lines sorted by key; a value with a line break or surrounding quotes is double-quoted with escapes. */
function dotenv(vars: Record<string, string>): string {
  return Object.keys(vars)
    .sort()
    .map((k) => `${k}=${/[\n\r"]|^\s|\s$/.test(vars[k]) ? JSON.stringify(vars[k]) : vars[k]}\n`)
    .join("");
}
