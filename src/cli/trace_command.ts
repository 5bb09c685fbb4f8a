import { Command, Option } from "commander";
import type { KubeObject } from "../api/meta.ts";
import { isNotFound } from "../runtime/kube/api_error.ts";
import { UnknownKindError } from "../runtime/kube/discovery.ts";
import { CliError } from "./cli_error.ts";
import { type ClusterFlags, withClusterFlags } from "./cluster_flags.ts";
import { describeError } from "./describe_error.ts";
import { managedBy, managerLabelNames } from "./managed_by.ts";
import type { Cluster } from "./open_cluster.ts";
import { Reporter } from "./reporter.ts";
import { runWithCluster } from "./run_with_cluster.ts";
import { traceChain } from "./trace_chain.ts";
import { knownKind, parseApiVersionFlag, type TraceKind, traceKind } from "./trace_kinds.ts";
import { formatTrace } from "./trace_report.ts";

interface TraceFlags extends ClusterFlags {
  kind?: string;
  apiVersion?: string;
}

interface TraceTarget extends TraceKind {
  name: string;
}

const examples = `
Examples:
  sluice trace web --kind=Deployment --api-version=apps/v1 -n apps
  sluice trace deployment/web -n apps          # kubectl's kind names work for common kinds
  sluice trace cm settings -n apps             # several names of one kind: sluice trace cm a b
  sluice trace namespace apps                  # a cluster-scoped object
  sluice trace cache --kind=Redis --api-version=cache.example.com/v1 -n apps

The chain is followed up: the object, the Kustomization or HelmRelease that applied it (found by its
kustomize.toolkit.fluxcd.io/name and helm.toolkit.fluxcd.io/name labels) with its source, then the
Kustomization that applied that one, and so on.
`;

/** `sluice trace`: which Kustomization or HelmRelease manages an object, from which source and revision. */
export function traceCommand(): Command {
  const cmd = new Command("trace")
    .description("show which Kustomization or HelmRelease applied an object, from which source and revision, and how their last reconcile went")
    .argument("<object...>", "name (with --kind), kind/name, or a kind then names")
    .option("--kind <kind>", "kind of the object, e.g. Deployment")
    .addOption(new Option("--api-version <version>", "API version of the object, e.g. apps/v1 (known for common kinds)").argParser(parseApiVersionFlag));
  withClusterFlags(cmd, { timeout: "1m" });
  return cmd.addHelpText("after", examples).action(async (words: string[], flags: TraceFlags) => {
    const targets = traceTargets(words, flags);
    await runWithCluster(flags, async (cluster) => {
      if (targets.length === 1) {
        process.stdout.write(formatTrace(await traceOne(cluster, targets[0], flags.namespace)));
        return;
      }
      // Several objects: each report in turn; a failure is reported and the others still traced.
      const reporter = new Reporter();
      let failures = 0;
      for (const [i, target] of targets.entries()) {
        if (i > 0) process.stdout.write("---\n");
        try {
          process.stdout.write(formatTrace(await traceOne(cluster, target, flags.namespace)));
        } catch (err) {
          failures++;
          reporter.failure(err instanceof CliError ? err.message : describeError(err, cluster.server));
        }
      }
      if (failures) throw new CliError(`${failures} of ${targets.length} objects could not be traced`);
    });
  });
}

/** `name --kind K`, `kind/name…`, or `kind name…`, as flux and kubectl take them. */
export function traceTargets(words: string[], flags: { kind?: string; apiVersion?: string }): TraceTarget[] {
  if (flags.kind) {
    const kind = traceKind(flags.kind, flags.apiVersion);
    return words.map((w) => {
      if (w.includes("/")) throw new CliError(`with --kind give plain names, got ${JSON.stringify(w)}`);
      return { ...kind, name: w };
    });
  }
  if (words.every((w) => w.includes("/"))) {
    return words.map((w) => {
      const [kind, name, ...more] = w.split("/");
      if (!kind || !name || more.length) throw new CliError(`want kind/name, got ${JSON.stringify(w)}`);
      return { ...traceKind(kind, flags.apiVersion), name };
    });
  }
  if (words.length >= 2 && knownKind(words[0]) && !words.slice(1).some((w) => w.includes("/"))) {
    const kind = traceKind(words[0], flags.apiVersion);
    return words.slice(1).map((name) => ({ ...kind, name }));
  }
  throw new CliError(`say which kind ${words.join(" ")} is: \`sluice trace <name> --kind=Deployment --api-version=apps/v1\`, or deployment/<name>`);
}

async function traceOne(cluster: Cluster, target: TraceTarget, namespace: string) {
  const obj = await findTarget(cluster, target, namespace);
  const where = obj.metadata.namespace ? ` in namespace ${JSON.stringify(obj.metadata.namespace)}` : "";
  if (!managedBy(obj)) {
    throw new CliError(`${target.kind} ${JSON.stringify(target.name)}${where} is not managed by Sluice: it has no ${managerLabelNames.join(" or ")} label`);
  }
  return traceChain(cluster, obj);
}

async function findTarget(cluster: Cluster, target: TraceTarget, namespace: string): Promise<KubeObject> {
  let ref;
  try {
    ref = await cluster.api.discovery.resolve(target.apiVersion, target.kind);
  } catch (err) {
    if (err instanceof UnknownKindError) throw new CliError(`the cluster serves no kind ${target.kind} in ${target.apiVersion}: check --kind and --api-version`);
    throw err;
  }
  try {
    const obj = await cluster.api.get(ref, namespace, target.name);
    return { ...obj, apiVersion: obj.apiVersion ?? target.apiVersion, kind: obj.kind ?? ref.kind };
  } catch (err) {
    if (!isNotFound(err)) throw err;
    const where = ref.namespaced ? ` in namespace ${JSON.stringify(namespace)}` : "";
    throw new CliError(`${ref.kind} ${JSON.stringify(target.name)} not found${where}`);
  }
}
