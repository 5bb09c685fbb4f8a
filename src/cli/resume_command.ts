import { Command } from "commander";
import type { CliKind } from "./cli_kinds.ts";
import { type ClusterFlags, withClusterFlags } from "./cluster_flags.ts";
import { getObject } from "./find_objects.ts";
import type { Cluster } from "./open_cluster.ts";
import { Reporter } from "./reporter.ts";
import { requestReconcile } from "./request_reconcile.ts";
import { resolveVerbKinds } from "./resolve_kind_words.ts";
import { runWithCluster } from "./run_with_cluster.ts";
import { revisionOf } from "./status_cells.ts";
import { type ObjectTarget, targetObjects } from "./target_objects.ts";

interface ResumeFlags extends ClusterFlags {
  all?: boolean;
  labelSelector?: string;
  /** Undefined unless --wait or --no-wait was given. */
  wait?: boolean;
}

const examples = `
Examples:
  sluice resume ks podinfo                   # resume, reconcile now and wait for Ready
  sluice resume source git podinfo podtato --wait
  sluice resume hr --all -n apps --no-wait
  sluice resume ks --all -A --wait           # every Kustomization in every namespace, each waited for
`;

export function resumeCommand(): Command {
  const cmd = new Command("resume")
    .description("resume suspended objects, reconcile them now and wait until they are ready")
    .argument("<kind...>", "source git|oci|helm|chart|bucket, kustomization (ks), helmrelease (hr), alert, alert-provider or receiver, then names")
    .option("--all", "every object of the kind in the namespace (with -A: in every namespace)")
    .option("-l, --label-selector <selector>", "with --all: only objects with these labels, e.g. team=web")
    .option("--wait", "wait for every object to be ready (the default when exactly one name is given, as flux does)")
    .option("--no-wait", "do not wait for the reconciliation");
  withClusterFlags(cmd, { allNamespaces: true });
  return cmd.addHelpText("after", examples).action(async (words: string[], flags: ResumeFlags) => {
    const { kinds, rest } = resolveVerbKinds(words, "resume");
    const kind = kinds[0];
    const reporter = new Reporter();
    await runWithCluster(flags, async (cluster) => {
      const targets = await targetObjects(cluster, kind, rest, flags, "resume");
      // As flux: one name given waits unless --no-wait; --all and several names wait only with --wait.
      const wait = kind.reconciled && (flags.wait ?? rest.length === 1);
      for (const t of targets) await getObject(cluster, kind, t.namespace, t.name);
      // Several objects are resumed and waited for side by side; each failure is reported, then the first one fails the command.
      const results = await Promise.allSettled(targets.map((t) => resumeOne(cluster, kind, t, flags, reporter, wait)));
      const failures = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason);
      if (failures.length > 1) for (const f of failures.slice(1)) reporter.failure(f instanceof Error ? f.message : String(f));
      if (failures.length) throw failures[0];
    });
  });
}

async function resumeOne(cluster: Cluster, kind: CliKind, { namespace, name }: ObjectTarget, flags: ResumeFlags, reporter: Reporter, wait: boolean): Promise<void> {
  reporter.action(`resuming ${kind.def.kind} ${name} in ${namespace} namespace`);
  if (!kind.reconciled) {
    await cluster.api.mergePatch(kind.ref, namespace, name, { spec: { suspend: false } });
    reporter.success(`${kind.def.kind} ${name} resumed`);
    return;
  }
  const obj = await requestReconcile(cluster, kind, namespace, name, {
    timeoutMs: flags.timeout,
    reporter,
    patch: { spec: { suspend: false } },
    noWait: !wait,
    announce: false,
  });
  reporter.success(`${kind.def.kind} ${name} resumed`);
  if (!wait) return;
  const revision = revisionOf(kind, obj);
  reporter.success(revision ? `${kind.def.kind} ${name} reconciled revision ${revision}` : `${kind.def.kind} ${name} is ready`);
}
