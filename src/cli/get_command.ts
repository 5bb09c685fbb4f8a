import { Command, Option } from "commander";
import type { KubeObject } from "../api/meta.ts";
import { CliError } from "./cli_error.ts";
import type { CliKind } from "./cli_kinds.ts";
import { type ClusterFlags, withClusterFlags } from "./cluster_flags.ts";
import { palette } from "./colour.ts";
import { KindNotServedError, listObjects, notFound } from "./find_objects.ts";
import { followList } from "./follow_list.ts";
import { columnWidths, formatRow, formatTable } from "./format_table.ts";
import { interruptSignal } from "./interrupt_signal.ts";
import { formatObjects, type OutputFormat, parseOutputFlag } from "./object_output.ts";
import type { Cluster } from "./open_cluster.ts";
import { resolveVerbKinds } from "./resolve_kind_words.ts";
import { runWithCluster } from "./run_with_cluster.ts";
import { matchesStatus, parseStatusSelector, type StatusSelector } from "./status_selector.ts";
import { statusHeader, statusRow, statusStyle, type TableOptions } from "./status_table.ts";

interface GetFlags extends ClusterFlags {
  watch?: boolean;
  output?: OutputFormat;
  statusSelector?: StatusSelector;
  labelSelector?: string;
  header: boolean;
  showSource?: boolean;
}

const examples = `
Examples:
  sluice get sources git                   # GitRepositories in flux-system
  sluice get ks -A                         # Kustomizations in every namespace
  sluice get ks podinfo -n apps -o yaml    # one object as YAML
  sluice get all --status-selector ready=false
  sluice get hr --watch                    # keep printing rows as they change
`;

export function getCommand(): Command {
  const cmd = new Command("get")
    .description("show Flux objects: revision, suspended, ready and the Ready message")
    .argument("<kind...>", "all, sources [git|oci|helm|chart|bucket|external], ks, hr, alerts, alert-providers or receivers; then a name")
    .option("-w, --watch", "after listing, print a row each time an object changes (Ctrl-C ends)")
    .addOption(new Option("-o, --output <format>", "print the objects as yaml or json").argParser(parseOutputFlag))
    .addOption(
      new Option("--status-selector <condition=status>", "only objects whose condition has (or with != lacks) this status, e.g. ready=false")
        .argParser(parseStatusSelector),
    )
    .option("-l, --label-selector <selector>", "only objects with these labels, e.g. app=podinfo")
    .option("--no-header", "leave out the column names")
    .option("--show-source", "add a SOURCE column to kustomizations and helmreleases");
  withClusterFlags(cmd, { allNamespaces: true });
  return cmd.addHelpText("after", examples).action((words: string[], flags: GetFlags) => runGet(words, flags));
}

async function runGet(words: string[], flags: GetFlags): Promise<void> {
  const { kinds, rest } = resolveVerbKinds(words, "get");
  if (rest.length > 1) throw new CliError(`sluice get takes at most one name, got ${rest.join(" ")}`);
  const name = rest[0];
  const several = kinds.length > 1;
  if (flags.watch && several) throw new CliError("--watch follows one kind at a time, e.g. `sluice get ks --watch`");
  await runWithCluster(flags, async (cluster) => {
    const found: Array<{ kind: CliKind; items: KubeObject[]; resourceVersion: string }> = [];
    for (const kind of kinds) {
      try {
        const { items, resourceVersion } = await listObjects(cluster, kind, { name, labelSelector: flags.labelSelector });
        found.push({ kind, items: items.filter((o) => selected(kind, o, flags)), resourceVersion });
      } catch (err) {
        // `get all` skips kinds whose CRDs are not installed, as flux does.
        if (several && err instanceof KindNotServedError) continue;
        throw err;
      }
    }
    if (name && !several && found[0].items.length === 0 && !flags.statusSelector && !flags.watch) {
      throw notFound(kinds[0], flags.namespace, name);
    }
    let widths: number[] = [];
    if (flags.output) printObjects(found.flatMap((f) => f.items), flags.output, Boolean(name) && !several);
    else widths = printTables(found, cluster, flags, several);
    if (flags.watch) await watchRows(cluster, found[0].kind, found[0].resourceVersion, name, flags, widths);
  });
}

function selected(kind: CliKind, obj: KubeObject, flags: GetFlags): boolean {
  return !flags.statusSelector || matchesStatus(obj, flags.statusSelector, kind.reconciled ? "false" : "true");
}

function tableOptions(flags: GetFlags, several: boolean): TableOptions {
  return { allNamespaces: flags.allNamespaces, prefixKind: several, showSource: flags.showSource };
}

function printObjects(items: KubeObject[], format: OutputFormat, single: boolean): void {
  process.stdout.write(formatObjects(items, format, single));
}

/** Prints one table per kind; answers the column widths of the last, for --watch rows to line up with. */
function printTables(found: Array<{ kind: CliKind; items: KubeObject[] }>, cluster: Cluster, flags: GetFlags, several: boolean): number[] {
  const style = statusStyle(palette(process.stdout));
  const opts = tableOptions(flags, several);
  let widths: number[] = [];
  for (const { kind, items } of found) {
    if (items.length === 0) {
      if (!several && !flags.watch) process.stderr.write(`no ${kind.def.kind} objects found in ${where(cluster)}\n`);
      if (!flags.watch || several) continue;
    }
    const header = statusHeader(kind, opts);
    const rows = items.map((o) => statusRow(kind, o, header, opts));
    widths = columnWidths(header, rows);
    for (const line of formatTable(header, rows, { noHeader: !flags.header, style })) process.stdout.write(`${line}\n`);
    if (several) process.stdout.write("\n");
  }
  if (several && found.every((f) => f.items.length === 0)) process.stderr.write(`no Flux objects found in ${where(cluster)}\n`);
  return widths;
}

async function watchRows(
  cluster: Cluster,
  kind: CliKind,
  resourceVersion: string,
  name: string | undefined,
  flags: GetFlags,
  widths: number[],
): Promise<void> {
  const opts = tableOptions(flags, false);
  const header = statusHeader(kind, opts);
  const style = statusStyle(palette(process.stdout));
  await followList(
    cluster.api,
    kind.ref,
    cluster.namespace,
    { resourceVersion, fieldSelector: name ? `metadata.name=${name}` : undefined, labelSelector: flags.labelSelector, signal: interruptSignal() },
    (ev) => {
      if (!selected(kind, ev.object, flags)) return;
      if (flags.output) return printObjects([ev.object], flags.output, true);
      const row = statusRow(kind, ev.object, header, opts);
      if (ev.type === "DELETED") row[row.length - 1] = "deleted";
      process.stdout.write(`${formatRow(row, widths, header, style)}\n`);
    },
  );
}

function where(cluster: Cluster): string {
  return cluster.namespace ? `${cluster.namespace} namespace` : "any namespace";
}
