import { Command } from "commander";
import type { CliKind } from "./cli_kinds.ts";
import { type ClusterFlags, withClusterFlags } from "./cluster_flags.ts";
import { getObject } from "./find_objects.ts";
import type { Cluster } from "./open_cluster.ts";
import { Reporter } from "./reporter.ts";
import { requestReconcile } from "./request_reconcile.ts";
import { resolveKindWords } from "./resolve_kind_words.ts";
import { runWithCluster } from "./run_with_cluster.ts";
import { revisionOf } from "./status_cells.ts";
import { targetNames } from "./target_names.ts";

interface ResumeFlags extends ClusterFlags {
  all?: boolean;
  /** Undefined unless --wait or --no-wait was given. */
  wait?: boolean;
}

const examples = `
Examples:
  sluice resume ks podinfo                   # resume, reconcile now and wait for Ready
  sluice resume source git podinfo podtato --wait
  sluice resume hr --all -n apps --no-wait
`;

export function resumeCommand(): Command {
  const cmd = new Command("resume")
    .description("resume suspended objects, reconcile them now and wait until they are ready")
    .argument("<kind...>", "source git|oci|helm|chart|bucket, kustomization (ks), helmrelease (hr), alert, alert-provider or receiver, then names")
    .option("--all", "every object of the kind in the namespace")
    .option("--wait", "wait for every object to be ready (the default for one name)")
    .option("--no-wait", "do not wait for the reconciliation");
  withClusterFlags(cmd);
  return cmd.addHelpText("after", examples).action(async (words: string[], flags: ResumeFlags) => {
    const { kinds, rest } = resolveKindWords(words, { verb: "resume", accepts: (k) => k.suspendable });
    const kind = kinds[0];
    const reporter = new Reporter();
    await runWithCluster(flags, async (cluster) => {
      const names = await targetNames(cluster, kind, rest, flags.all, "resume");
      const wait = kind.reconciled && (flags.wait ?? names.length === 1);
      for (const name of names) await getObject(cluster, kind, flags.namespace, name);
      // Several objects are resumed and waited for side by side; each failure is reported, then the first one fails the command.
      const results = await Promise.allSettled(names.map((name) => resumeOne(cluster, kind, name, flags, reporter, wait)));
      const failures = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason);
      if (failures.length > 1) for (const f of failures.slice(1)) reporter.failure(f instanceof Error ? f.message : String(f));
      if (failures.length) throw failures[0];
    });
  });
}

async function resumeOne(cluster: Cluster, kind: CliKind, name: string, flags: ResumeFlags, reporter: Reporter, wait: boolean): Promise<void> {
  reporter.action(`resuming ${kind.def.kind} ${name} in ${flags.namespace} namespace`);
  if (!kind.reconciled) {
    await cluster.api.mergePatch(kind.ref, flags.namespace, name, { spec: { suspend: false } });
    reporter.success(`${kind.def.kind} ${name} resumed`);
    return;
  }
  const obj = await requestReconcile(cluster, kind, flags.namespace, name, {
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
