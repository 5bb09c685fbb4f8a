import { Command } from "commander";
import { annotations, type KubeObject } from "../api/meta.ts";
import { CliError } from "./cli_error.ts";
import { type CliKind, isSourceKind, kindByName } from "./cli_kinds.ts";
import { type ClusterFlags, withClusterFlags } from "./cluster_flags.ts";
import { getObject } from "./find_objects.ts";
import type { Cluster } from "./open_cluster.ts";
import { Reporter } from "./reporter.ts";
import { requestReconcile } from "./request_reconcile.ts";
import { resolveVerbKinds } from "./resolve_kind_words.ts";
import { runWithCluster } from "./run_with_cluster.ts";
import { sourceOf } from "./source_of.ts";
import { revisionOf } from "./status_cells.ts";

interface ReconcileFlags extends ClusterFlags {
  withSource?: boolean;
  force?: boolean;
  reset?: boolean;
}

const examples = `
Examples:
  sluice reconcile source git podinfo                # fetch now
  sluice reconcile ks podinfo --with-source          # fetch the source, then apply
  sluice reconcile hr podinfo -n apps --timeout 10m
`;

export function reconcileCommand(): Command {
  const cmd = new Command("reconcile")
    .description("reconcile an object now and wait for the outcome")
    .argument("<kind...>", "source git|oci|helm|chart|bucket, kustomization (ks), helmrelease (hr) or receiver, then the name")
    .option("--with-source", "reconcile the object's source first (kustomization, helmrelease, source chart)")
    .option("--force", "helmrelease: upgrade even when nothing changed")
    .option("--reset", "helmrelease: reset the failure counts first");
  withClusterFlags(cmd);
  return cmd.addHelpText("after", examples).action((words: string[], flags: ReconcileFlags) => runReconcile(words, flags));
}

async function runReconcile(words: string[], flags: ReconcileFlags): Promise<void> {
  const { kinds, rest } = resolveVerbKinds(words, "reconcile");
  if (rest.length !== 1) throw new CliError(`sluice reconcile needs exactly one name, got ${rest.length ? rest.join(" ") : "none"}`);
  const kind = kinds[0];
  if ((flags.force || flags.reset) && kind.def.kind !== "HelmRelease") throw new CliError("--force and --reset apply to helmreleases only");
  const reporter = new Reporter();
  await runWithCluster(flags, async (cluster) => {
    const obj = await reconcileOne(cluster, kind, flags.namespace, rest[0], flags, reporter);
    reporter.success(outcome(kind, obj));
  });
}

async function reconcileOne(
  cluster: Cluster,
  kind: CliKind,
  namespace: string,
  name: string,
  flags: ReconcileFlags,
  reporter: Reporter,
): Promise<KubeObject> {
  const obj = await getObject(cluster, kind, namespace, name);
  if ((obj as { spec?: { suspend?: boolean } }).spec?.suspend) {
    throw new CliError(`${kind.def.kind} ${namespace}/${name} is suspended: resume it with \`sluice resume ${kind.words.join(" ")} ${name} -n ${namespace}\``);
  }
  if (flags.withSource) await reconcileSource(cluster, obj, flags, reporter);
  const extra: Record<string, string> = {};
  // flux stamps --force and --reset with the same time as the request.
  const token = new Date().toISOString();
  if (flags.force) extra[annotations.forceAt] = token;
  if (flags.reset) extra[annotations.resetAt] = token;
  return requestReconcile(cluster, kind, namespace, name, { timeoutMs: flags.timeout, reporter, token, patch: { annotations: extra } });
}

/** The source first (and its own source: a HelmChart's repository), as flux's --with-source does. */
async function reconcileSource(cluster: Cluster, obj: KubeObject, flags: ReconcileFlags, reporter: Reporter): Promise<void> {
  const ref = sourceOf(obj);
  if (!ref) return;
  const kind = kindByName(ref.kind);
  if (!kind || !kind.reconciled || ref.kind === "ExternalArtifact") {
    reporter.warning(`${ref.kind} ${ref.namespace}/${ref.name} is not reconciled by Sluice; skipping it`);
    return;
  }
  const source = await reconcileOne(cluster, kind, ref.namespace, ref.name, { ...flags, force: false, reset: false, withSource: true }, reporter);
  reporter.success(outcome(kind, source));
}

function outcome(kind: CliKind, obj: KubeObject): string {
  const revision = revisionOf(kind, obj);
  if (!revision) return `${kind.def.kind} reconciliation completed`;
  return isSourceKind(kind) ? `fetched revision ${revision}` : `applied revision ${revision}`;
}
