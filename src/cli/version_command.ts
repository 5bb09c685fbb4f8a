import { Command, Option } from "commander";
import { stringify } from "yaml";
import { type ClusterFlags, withClusterFlags } from "./cluster_flags.ts";
import { type OutputFormat, parseOutputFlag } from "./object_output.ts";
import { runWithCluster } from "./run_with_cluster.ts";
import { clientVersion, installedControllers, serverVersion } from "./server_version.ts";

interface VersionFlags extends ClusterFlags {
  client?: boolean;
  output?: OutputFormat;
}

const examples = `
Examples:
  sluice version            # CLI, Kubernetes and the installed controllers' images
  sluice version --client   # no cluster needed
  sluice version -o json
`;

export function versionCommand(): Command {
  const cmd = new Command("version")
    .description("print the versions of the CLI, the Kubernetes API server and the installed controllers")
    .option("--client", "only the CLI's version")
    .addOption(new Option("-o, --output <format>", "print as yaml or json").argParser(parseOutputFlag));
  withClusterFlags(cmd);
  return cmd.addHelpText("after", examples).action(async (flags: VersionFlags) => {
    const versions: Record<string, string> = { sluice: `v${clientVersion()}` };
    if (!flags.client) {
      await runWithCluster(flags, async (cluster) => {
        versions.kubernetes = await serverVersion(cluster.client);
        for (const c of await installedControllers(cluster, flags.namespace)) versions[c.name] = c.image;
      });
    }
    if (flags.output === "json") process.stdout.write(`${JSON.stringify(versions, null, 2)}\n`);
    else if (flags.output === "yaml") process.stdout.write(stringify(versions));
    else for (const [k, v] of Object.entries(versions)) process.stdout.write(`${k}: ${v}\n`);
  });
}
