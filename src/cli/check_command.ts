import { Command } from "commander";
import semver from "semver";
import { CliError } from "./cli_error.ts";
import { cliKinds } from "./cli_kinds.ts";
import { type ClusterFlags, withClusterFlags } from "./cluster_flags.ts";
import { crdRef } from "./kube_refs.ts";
import type { Cluster } from "./open_cluster.ts";
import { Reporter } from "./reporter.ts";
import { runWithCluster } from "./run_with_cluster.ts";
import { installedControllers, serverVersion } from "./server_version.ts";
import { crdState, deploymentState } from "./workload_state.ts";

/** The oldest Kubernetes Sluice supports. */
export const minKubernetes = "1.32.0";

interface CheckFlags extends ClusterFlags {
  pre?: boolean;
}

const examples = `
Examples:
  sluice check --pre     # before installing: is the cluster recent enough?
  sluice check           # after: CRDs established, controllers running
`;

export function checkCommand(): Command {
  const cmd = new Command("check")
    .description("check the prerequisites (Kubernetes version), the CRDs and the controllers' health")
    .option("--pre", "only the prerequisites");
  withClusterFlags(cmd);
  return cmd.addHelpText("after", examples).action(async (flags: CheckFlags) => {
    const reporter = new Reporter();
    const ok = await runWithCluster(flags, async (cluster) => {
      reporter.action("checking prerequisites");
      let passed = await checkKubernetes(cluster, reporter);
      if (!flags.pre) {
        reporter.action("checking controllers");
        passed = (await checkControllers(cluster, flags.namespace, reporter)) && passed;
        reporter.action("checking CRDs");
        passed = (await checkCrds(cluster, reporter)) && passed;
      }
      return passed;
    });
    if (!ok) throw new CliError("check failed: see the ✗ lines above");
    reporter.success("all checks passed");
  });
}

async function checkKubernetes(cluster: Cluster, reporter: Reporter): Promise<boolean> {
  const version = await serverVersion(cluster.client);
  const parsed = semver.coerce(version);
  if (parsed && semver.gte(parsed, minKubernetes)) {
    reporter.success(`Kubernetes ${parsed.version} >=${minKubernetes}`);
    return true;
  }
  reporter.failure(`Kubernetes ${version} is older than ${minKubernetes}: upgrade the cluster`);
  return false;
}

async function checkControllers(cluster: Cluster, namespace: string, reporter: Reporter): Promise<boolean> {
  const controllers = await installedControllers(cluster, namespace);
  if (!controllers.length) {
    reporter.warning(`no Sluice controllers installed in ${namespace} namespace: install them with \`sluice install\`, or run \`sluice controllers\``);
    return true;
  }
  let ok = true;
  for (const c of controllers) {
    const state = deploymentState(c.deployment);
    if (state.ready) reporter.success(`${c.name}: deployment ready (${c.image})`);
    else {
      reporter.failure(`${c.name}: ${state.detail}; see \`kubectl -n ${namespace} describe deployment ${c.name}\``);
      ok = false;
    }
  }
  return ok;
}

async function checkCrds(cluster: Cluster, reporter: Reporter): Promise<boolean> {
  let ok = true;
  for (const kind of cliKinds) {
    const name = `${kind.def.plural}.${kind.def.group}`;
    const crd = await cluster.api.find(crdRef, undefined, name);
    const versions = (crd?.spec as { versions?: Array<{ name: string; served: boolean; storage: boolean }> } | undefined)?.versions ?? [];
    const served = versions.some((v) => v.name === kind.def.version && v.served);
    const state = crd && crdState(crd);
    const deleting = crd?.metadata.deletionTimestamp;
    if (crd && state?.ready && served && !deleting) {
      reporter.success(`${name}/${kind.def.version}`);
      continue;
    }
    ok = false;
    if (!crd) reporter.failure(`${name} is not installed: run \`sluice install\``);
    else if (deleting) reporter.failure(`${name} is being deleted (since ${deleting}); reinstall it with \`sluice install\` once it is gone`);
    else if (!served) reporter.failure(`${name} does not serve ${kind.def.version}: run \`sluice install\` to update it`);
    else reporter.failure(`${name} is not established${state?.failed ? `: ${state.failed}` : ""}`);
  }
  return ok;
}
