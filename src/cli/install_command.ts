import { Command } from "commander";
import { formatDuration } from "../api/duration.ts";
import type { KubeObject } from "../api/meta.ts";
import { fieldManager } from "./apply_and_wait.ts";
import { CliError } from "./cli_error.ts";
import { type ClusterFlags, withClusterFlags } from "./cluster_flags.ts";
import { configDir, loadInstallManifests } from "./install_manifests.ts";
import { crdRef, deploymentRef } from "./kube_refs.ts";
import type { Cluster } from "./open_cluster.ts";
import { startProgress } from "./progress.ts";
import { Reporter } from "./reporter.ts";
import { runWithCluster } from "./run_with_cluster.ts";
import { waitForObject } from "./wait_for_object.ts";
import { crdState, deploymentState } from "./workload_state.ts";
import { yamlDocuments } from "./object_output.ts";

interface InstallFlags extends ClusterFlags {
  export?: boolean;
  dryRun?: boolean;
  skipCrds?: boolean;
  manifests: string;
}

const examples = `
Examples:
  sluice install                      # CRDs, then the controllers into flux-system; waits until they run
  sluice install --export > sluice.yaml
  sluice install -n gitops --timeout 10m
  sluice install --skip-crds         # the CRDs are managed separately
`;

export function installCommand(): Command {
  const cmd = new Command("install")
    .description("install Sluice's CRDs and controllers from config/ (server-side apply), then wait until they are running")
    .option("--export", "print the manifests instead of applying them")
    .option("--dry-run", "have the server check every object without changing anything")
    .option("--skip-crds", "leave the CRDs alone (managed separately)")
    .option("--manifests <dir>", "install from this kustomize directory instead of Sluice's own config/", configDir);
  withClusterFlags(cmd);
  return cmd.addHelpText("after", examples).action(async (flags: InstallFlags) => {
    const objects = loadInstallManifests(flags.manifests, flags.namespace);
    if (flags.export) {
      process.stdout.write(yamlDocuments(objects));
      return;
    }
    const reporter = new Reporter();
    await runWithCluster(flags, (cluster) => install(cluster, objects, flags, reporter));
  });
}

async function install(cluster: Cluster, objects: KubeObject[], flags: InstallFlags, reporter: Reporter): Promise<void> {
  const crds = flags.skipCrds ? [] : objects.filter((o) => o.kind === "CustomResourceDefinition");
  const rest = objects.filter((o) => o.kind !== "CustomResourceDefinition");
  if (flags.skipCrds) reporter.warning("CRDs left alone (--skip-crds): check them with `sluice check`");
  const apply = (o: KubeObject) =>
    cluster.api.apply(o, { fieldManager, force: true, dryRun: flags.dryRun }).catch((err: Error) => {
      throw new CliError(`applying ${o.kind}/${o.metadata.name}: ${err.message}`);
    });
  reporter.action(`installing Sluice in ${flags.namespace} namespace${flags.dryRun ? " (dry run)" : ""}`);
  // CRDs first and Established before anything that could depend on them.
  if (crds.length) {
    await Promise.all(crds.map(apply));
    reporter.success(`${crds.length} CustomResourceDefinitions applied`);
    if (!flags.dryRun) await waitForCrds(cluster, crds, flags.timeout, reporter);
  }
  for (const o of rest) await apply(o);
  const counts = new Map<string, number>();
  for (const o of rest) counts.set(o.kind, (counts.get(o.kind) ?? 0) + 1);
  reporter.success(`applied ${[...counts].map(([k, n]) => `${n} ${k}${n > 1 ? "s" : ""}`).join(", ")}`);
  if (flags.dryRun) {
    reporter.success("dry run finished: the server accepted every object");
    return;
  }
  const deployments = rest.filter((o) => o.kind === "Deployment");
  await Promise.all(deployments.map((d) => waitForDeployment(cluster, d, flags.timeout, reporter)));
  reporter.success("install finished");
}

async function waitForCrds(cluster: Cluster, crds: KubeObject[], timeoutMs: number, reporter: Reporter): Promise<void> {
  const progress = startProgress(reporter, "waiting for the CRDs to be established");
  try {
    await Promise.all(
      crds.map((crd) =>
        waitForObject(cluster.api, crdRef, undefined, crd.metadata.name!, (obj) => {
          const state = obj && crdState(obj);
          if (state?.failed) throw new CliError(`CRD ${crd.metadata.name} failed: ${state.failed}`);
          return state?.ready ? { done: true, value: undefined } : { done: false };
        }, { timeoutMs, timeoutMessage: () => `timed out after ${formatDuration(timeoutMs)} waiting for CRD ${crd.metadata.name} to be established` }),
      ),
    );
  } finally {
    progress.stop();
  }
  reporter.success("CRDs established");
}

async function waitForDeployment(cluster: Cluster, d: KubeObject, timeoutMs: number, reporter: Reporter): Promise<void> {
  const { name, namespace } = d.metadata as { name: string; namespace: string };
  const progress = startProgress(reporter, `waiting for ${name} to be available`);
  try {
    await waitForObject(
      cluster.api,
      deploymentRef,
      namespace,
      name,
      (obj) => {
        if (!obj) return { done: false };
        const state = deploymentState(obj);
        if (state.failed) throw new CliError(`${name} did not roll out: ${state.detail}; see \`kubectl -n ${namespace} describe deployment ${name}\``);
        return state.ready ? { done: true, value: undefined } : { done: false };
      },
      {
        timeoutMs,
        onChange: (obj) => obj && progress.update(`waiting for ${name}: ${deploymentState(obj).detail}`),
        timeoutMessage: (last) =>
          `timed out after ${formatDuration(timeoutMs)} waiting for deployment ${namespace}/${name}: ${last ? deploymentState(last).detail : "not found"}; check its pods with \`kubectl -n ${namespace} get pods\``,
      },
    );
  } finally {
    progress.stop();
  }
  reporter.success(`${name}: deployment ready`);
}
