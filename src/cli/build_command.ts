import { Command } from "commander";
import { type ClusterFlags, withClusterFlags } from "./cluster_flags.ts";
import { parseIgnorePaths } from "./ignored_copy.ts";
import { kustomizationFor } from "./kustomization_input.ts";
import { findKustomize } from "./kustomize_binary.ts";
import { type LocalSources, parseLocalSources } from "./local_sources.ts";
import { parseObjectName } from "./object_name.ts";
import { yamlDocuments } from "./object_output.ts";
import { buildRecursively, type RecursiveBuildOptions } from "./recursive_build.ts";
import { runWithCluster } from "./run_with_cluster.ts";

export interface BuildFlags extends ClusterFlags {
  path: string;
  kustomizationFile?: string;
  dryRun?: boolean;
  kustomizeBinary?: string;
  ignorePaths?: string[];
  strictSubstitute?: boolean;
  recursive?: boolean;
  localSources?: LocalSources;
  inMemoryBuild?: boolean;
}

/** The flags `build ks` and `diff ks` share: what to build, with which spec, by which kustomize; and the cluster's. */
export function withLocalBuildFlags(cmd: Command): Command {
  cmd
    .requiredOption("--path <dir>", "local directory to build (what spec.path points to in the source)")
    .option("--kustomization-file <file>", "read the Kustomization from this file instead of the cluster")
    .option(
      "--ignore-paths <patterns>",
      "gitignore patterns of files to leave out of the build, as a source's spec.ignore does (.sourceignore files apply too); repeatable or comma-separated",
      parseIgnorePaths,
    )
    .option("--strict-substitute", "fail on ${VAR} without a default that no variable sets (the controller's default); without it they become empty")
    .option("-r, --recursive", "also build the Kustomizations found in the output, at their spec.path in their source's local tree")
    .option(
      "--local-sources <Kind/ns/name=dir>",
      "with -r: the local directory holding a source's content; repeatable or comma-separated (the root's own source defaults to the Git top-level of --path)",
      parseLocalSources,
    )
    .option("--in-memory-build", "accepted for flux compatibility and changes nothing: Sluice never writes into --path (the overlay it generates lives in a private scratch directory)")
    .option("--kustomize-binary <path>", "the kustomize to run (default: the dev tool cache, then PATH)");
  return withClusterFlags(cmd);
}

/** What withLocalBuildFlags' flags ask of the build. */
export function buildOptionsOf(flags: BuildFlags): Omit<RecursiveBuildOptions, "api"> {
  return {
    kustomizeBinary: findKustomize(flags.kustomizeBinary),
    ignorePaths: flags.ignorePaths,
    strict: flags.strictSubstitute ?? false,
    recursive: flags.recursive ?? false,
    localSources: flags.localSources ?? new Map(),
  };
}

const examples = `
Examples:
  sluice build ks podinfo --path ./kustomize                 # as the controller would apply it
  sluice build ks podinfo --path ./kustomize --kustomization-file ./clusters/prod/podinfo.yaml --dry-run
  sluice build ks podinfo --path ./kustomize --ignore-paths '*.md,tests/'   # leave files out, as spec.ignore would
  sluice build ks podinfo --path ./kustomize --strict-substitute           # fail on unset \${VAR}s, as the controller does
  sluice build ks flux-system --path ./clusters/prod -r      # and the Kustomizations it defines, from this repository
  sluice build ks flux-system --path ./clusters/prod -r --local-sources GitRepository/apps/web=../web
  sluice build ks podinfo --path ./kustomize --in-memory-build             # accepted; Sluice never writes into --path
`;

export function buildCommand(): Command {
  const ks = new Command("kustomization")
    .alias("ks")
    .description("build a local directory with a Kustomization's spec, exactly as the kustomize controller does, and print the YAML")
    .argument("<name>", "the Kustomization whose spec (patches, images, substitutions, …) to build with", parseObjectName)
    .option("--dry-run", "do not contact the cluster (postBuild.substituteFrom is skipped)");
  withLocalBuildFlags(ks);
  ks.addHelpText("after", examples).action(async (name: string, flags: BuildFlags) => {
    const opts = buildOptionsOf(flags);
    const builds = flags.dryRun
      ? await buildRecursively(await kustomizationFor(name, flags.namespace, flags.kustomizationFile, undefined), flags.path, opts)
      : await runWithCluster(flags, async (cluster) =>
          buildRecursively(await kustomizationFor(name, flags.namespace, flags.kustomizationFile, cluster), flags.path, { ...opts, api: cluster.api }),
        );
    process.stdout.write(yamlDocuments(builds.flatMap((b) => b.objects)));
  });
  return new Command("build").description("build manifests locally the way the controllers do").addCommand(ks).addHelpText("after", examples);
}
