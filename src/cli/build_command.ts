import { Command } from "commander";
import { type ClusterFlags, withClusterFlags } from "./cluster_flags.ts";
import { kustomizationFor } from "./kustomization_input.ts";
import { findKustomize } from "./kustomize_binary.ts";
import { buildLocally } from "./local_build.ts";
import { parseObjectName } from "./object_name.ts";
import { runWithCluster } from "./run_with_cluster.ts";
import { yamlDocuments } from "./object_output.ts";

export interface BuildFlags extends ClusterFlags {
  path: string;
  kustomizationFile?: string;
  dryRun?: boolean;
  kustomizeBinary?: string;
}

/** The flags `build ks` and `diff ks` share: what to build, with which spec, by which kustomize; and the cluster's. */
export function withLocalBuildFlags(cmd: Command): Command {
  cmd
    .requiredOption("--path <dir>", "local directory to build (what spec.path points to in the source)")
    .option("--kustomization-file <file>", "read the Kustomization from this file instead of the cluster")
    .option("--kustomize-binary <path>", "the kustomize to run (default: the dev tool cache, then PATH)");
  return withClusterFlags(cmd);
}

const examples = `
Examples:
  sluice build ks podinfo --path ./kustomize                 # as the controller would apply it
  sluice build ks podinfo --path ./kustomize --kustomization-file ./clusters/prod/podinfo.yaml --dry-run
`;

export function buildCommand(): Command {
  const ks = new Command("kustomization")
    .alias("ks")
    .description("build a local directory with a Kustomization's spec, exactly as the kustomize controller does, and print the YAML")
    .argument("<name>", "the Kustomization whose spec (patches, images, substitutions, …) to build with", parseObjectName)
    .option("--dry-run", "do not contact the cluster (postBuild.substituteFrom is skipped)");
  withLocalBuildFlags(ks);
  ks.addHelpText("after", examples).action(async (name: string, flags: BuildFlags) => {
    const kustomizeBinary = findKustomize(flags.kustomizeBinary);
    const objects = flags.dryRun
      ? await buildLocally(await kustomizationFor(name, flags.namespace, flags.kustomizationFile, undefined), flags.path, { kustomizeBinary })
      : await runWithCluster(flags, async (cluster) =>
          buildLocally(await kustomizationFor(name, flags.namespace, flags.kustomizationFile, cluster), flags.path, { kustomizeBinary, api: cluster.api }),
        );
    process.stdout.write(yamlDocuments(objects));
  });
  return new Command("build").description("build manifests locally the way the controllers do").addCommand(ks).addHelpText("after", examples);
}
