import { Command } from "commander";
import type { Kustomization } from "../api/kustomize/kustomization.ts";
import type { KubeObject } from "../api/meta.ts";
import { fieldManager } from "../kustomize/reasons.ts";
import { hasDrift } from "../runtime/apply/drift.ts";
import { apiVersionOf, parseInventoryId, subjectOf } from "../runtime/apply/object_id.ts";
import { isNotFound } from "../runtime/kube/api_error.ts";
import { UnknownKindError } from "../runtime/kube/discovery.ts";
import { type BuildFlags, buildOptionsOf, withLocalBuildFlags } from "./build_command.ts";
import { CliError } from "./cli_error.ts";
import { palette } from "./colour.ts";
import { describeError } from "./describe_error.ts";
import { kustomizationFor } from "./kustomization_input.ts";
import { onKustomizationTarget, type RemoteKubeconfigFlags, withRemoteKubeconfigFlags } from "./kustomization_target.ts";
import { describeDrift } from "./object_drift.ts";
import { kindByName } from "./cli_kinds.ts";
import { parseObjectName } from "./object_name.ts";
import type { Cluster } from "./open_cluster.ts";
import { type Progress, startProgress } from "./progress.ts";
import { buildRecursively } from "./recursive_build.ts";
import { Reporter } from "./reporter.ts";
import { runWithCluster } from "./run_with_cluster.ts";

interface DiffFlags extends BuildFlags, RemoteKubeconfigFlags {
  ignoreNotFound?: boolean;
  progressBar: boolean;
}

/** Exit codes as flux diff has them: 0 no changes, 1 changes, 2 the diff itself failed. */
const differs = 1;
const failed = 2;

interface Change {
  subject: string;
  action: "created" | "configured" | "deleted";
  lines: string[];
}

const examples = `
Examples:
  sluice diff ks podinfo --path ./kustomize         # exit code 1 when applying would change the cluster
  sluice diff ks apps --path ./apps --kustomization-file ./clusters/prod/apps.yaml
  sluice diff ks edge --path ./edge                 # spec.kubeConfig: dry-run on the cluster its Secret names
  sluice diff ks new-app --path ./new-app --ignore-not-found   # not in the cluster yet: everything shows as created
  sluice diff ks flux-system --path ./clusters/prod -r --local-sources GitRepository/apps/web=../web
  sluice diff ks podinfo --path ./kustomize --ignore-paths 'tests/' --strict-substitute
  sluice diff ks podinfo --path ./kustomize --progress-bar=false   # no spinner (there is one only on a terminal)
  sluice diff ks podinfo --path ./kustomize --in-memory-build      # accepted; Sluice never writes into --path
`;

export function diffCommand(): Command {
  const ks = new Command("kustomization")
    .alias("ks")
    .description("show what applying a local directory with a Kustomization's spec would change (server-side dry run, on the spec.kubeConfig cluster if set); exit code 1 if anything")
    .argument("<name>", "the Kustomization whose spec and inventory to compare with", parseObjectName)
    .option("--ignore-not-found", "a Kustomization missing from the cluster is not an error: build with an empty spec (or --kustomization-file's)")
    .option("--progress-bar", "show a spinner while building and comparing, on a terminal only", true)
    .option("--no-progress-bar", "no spinner");
  withRemoteKubeconfigFlags(withLocalBuildFlags(ks));
  ks.addHelpText("after", examples).action(async (name: string, flags: DiffFlags) => {
    let changes: Change[];
    const progress: Progress | undefined = flags.progressBar && process.stderr.isTTY ? startProgress(new Reporter(), `building Kustomization ${flags.namespace}/${name}`) : undefined;
    try {
      const opts = buildOptionsOf(flags);
      changes = await runWithCluster(flags, async (cluster) => {
        const root = await kustomizationFor(name, flags.namespace, flags.kustomizationFile, cluster, flags.ignoreNotFound);
        const all: Change[] = [];
        for (const { ks, objects } of await buildRecursively(root, flags.path, { ...opts, api: cluster.api })) {
          progress?.update(`comparing Kustomization ${ks.metadata.namespace}/${ks.metadata.name} with the cluster`);
          const withInventory = await withLiveStatus(cluster, ks);
          // With spec.kubeConfig, the live objects and the dry-run are on the remote cluster.
          all.push(...(await onKustomizationTarget(cluster, withInventory, flags, (target) => diffObjects(target, withInventory, objects))));
        }
        return all;
      });
    } catch (err) {
      throw new CliError(describeError(err), failed);
    } finally {
      progress?.stop();
    }
    printChanges(changes);
    if (changes.length) process.exitCode = differs;
  });
  return new Command("diff").description("compare locally built manifests with the cluster").addCommand(ks).addHelpText("after", examples);
}

/** A Kustomization from a file or a build has no status: the cluster's copy has its inventory, if it exists. */
async function withLiveStatus(cluster: Cluster, ks: Kustomization): Promise<Kustomization> {
  if (ks.status) return ks;
  const live = await cluster.api.find<Kustomization>(kindByName("Kustomization")!.ref, ks.metadata.namespace, ks.metadata.name!);
  return live?.status ? { ...ks, status: live.status } : ks;
}

async function diffObjects(cluster: Cluster, ks: Kustomization, objects: KubeObject[]): Promise<Change[]> {
  const changes: Change[] = [];
  const built = new Set<string>();
  for (const obj of objects) {
    const subject = subjectOf({ kind: obj.kind, namespace: obj.metadata.namespace ?? "", name: obj.metadata.name! });
    built.add(subject);
    let live: KubeObject | undefined;
    try {
      const ref = await cluster.api.refFor(obj);
      live = await cluster.api.find(ref, obj.metadata.namespace, obj.metadata.name!);
    } catch (err) {
      if (!(err instanceof UnknownKindError)) throw err;
    }
    if (!live) {
      changes.push({ subject, action: "created", lines: [] });
      continue;
    }
    let applied: KubeObject;
    try {
      applied = await cluster.api.apply(obj, { fieldManager, force: true, dryRun: true });
    } catch (err) {
      if (isNotFound(err)) throw new CliError(`dry-run apply of ${subject}: ${(err as Error).message}`);
      throw new CliError(`the cluster would reject ${subject}: ${(err as Error).message}`);
    }
    if (hasDrift(applied, live)) changes.push({ subject, action: "configured", lines: describeDrift(live, applied) });
  }
  if (ks.spec.prune) {
    for (const e of ks.status?.inventory?.entries ?? []) {
      const m = parseInventoryId(e.id, e.v);
      const subject = subjectOf(m);
      if (built.has(subject)) continue;
      const ref = await cluster.api.discovery.resolve(apiVersionOf(m), m.kind).catch(() => undefined);
      if (ref && (await cluster.api.find(ref, m.namespace || undefined, m.name))) changes.push({ subject, action: "deleted", lines: [] });
    }
  }
  return changes;
}

function printChanges(changes: Change[]): void {
  const c = palette(process.stdout);
  const colour = { created: c.green, configured: c.yellow, deleted: c.red };
  for (const ch of changes) {
    process.stdout.write(`► ${ch.subject} ${colour[ch.action](ch.action)}\n`);
    for (const line of ch.lines) {
      const styled = line.startsWith("  - ") ? c.red(line) : line.startsWith("  + ") ? c.green(line) : line;
      process.stdout.write(`    ${styled}\n`);
    }
  }
  if (!changes.length) process.stderr.write("✔ no changes\n");
}
