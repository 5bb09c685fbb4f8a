import { Command, InvalidArgumentError, Option } from "commander";
import type { KubeObject } from "../api/meta.ts";
import type { ResourceRef } from "../runtime/kube/resource_ref.ts";
import { cliKinds, kindByWord } from "./cli_kinds.ts";
import { type ClusterFlags, withClusterFlags } from "./cluster_flags.ts";
import { palette } from "./colour.ts";
import { getObject } from "./find_objects.ts";
import { followList } from "./follow_list.ts";
import { type CellStyle, columnWidths, formatRow, formatTable } from "./format_table.ts";
import { humanAge } from "./human_age.ts";
import { interruptSignal } from "./interrupt_signal.ts";
import type { Cluster } from "./open_cluster.ts";
import { runWithCluster } from "./run_with_cluster.ts";
import { sourceOf } from "./source_of.ts";

const eventRef: ResourceRef = { group: "", version: "v1", resource: "events", kind: "Event", namespaced: true };

interface EventsFlags extends ClusterFlags {
  for?: { kind: string; name: string };
  types?: string[];
  watch?: boolean;
}

interface CoreEvent extends KubeObject {
  type?: string;
  reason?: string;
  message?: string;
  lastTimestamp?: string;
  eventTime?: string;
  count?: number;
  involvedObject: { kind?: string; name?: string; namespace?: string };
}

/** One set of events to show: all in a namespace, or those of one object. */
interface Query {
  namespace: string | undefined;
  fieldSelector?: string;
}

const examples = `
Examples:
  sluice events                               # every event in flux-system, oldest first
  sluice events --for Kustomization/podinfo   # one object and its source
  sluice events --for ks/podinfo --types Warning -w
  sluice events -A
`;

export function parseForFlag(value: string): { kind: string; name: string } {
  const m = /^([A-Za-z][\w-]*)\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/.exec(value);
  if (!m) throw new InvalidArgumentError(`want <Kind>/<name>, e.g. Kustomization/podinfo, got ${JSON.stringify(value)}`);
  const flux = kindByWord(m[1]);
  return { kind: flux ? flux.def.kind : m[1], name: m[2] };
}

function parseTypes(value: string): string[] {
  const types = value.split(",").map((t) => t.trim());
  for (const t of types) if (t !== "Normal" && t !== "Warning") throw new InvalidArgumentError(`event types are Normal and Warning, got ${JSON.stringify(t)}`);
  return types;
}

export function eventsCommand(): Command {
  const cmd = new Command("events")
    .description("show Kubernetes events, for one object and its source or for a whole namespace, oldest first")
    .addOption(new Option("--for <Kind/name>", "only events of this object and of its source").argParser(parseForFlag))
    .addOption(new Option("--types <types>", "only these event types: Normal, Warning (comma-separated)").argParser(parseTypes))
    .option("-w, --watch", "keep printing new events (Ctrl-C ends)");
  withClusterFlags(cmd, { allNamespaces: true });
  return cmd.addHelpText("after", examples).action((flags: EventsFlags) => runWithCluster(flags, (cluster) => showEvents(cluster, flags)));
}

async function showEvents(cluster: Cluster, flags: EventsFlags): Promise<void> {
  const queries = await queriesFor(cluster, flags);
  const lists = await Promise.all(queries.map((q) => cluster.api.listAll<CoreEvent>(eventRef, q.namespace, { fieldSelector: q.fieldSelector })));
  const events = lists.flatMap((l) => l.items).filter((e) => wanted(e, flags)).sort((a, b) => when(a) - when(b));
  const header = [...(flags.allNamespaces ? ["NAMESPACE"] : []), "LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"];
  const style = eventStyle();
  const rows = events.map((e) => eventRow(e, flags));
  if (!rows.length && !flags.watch) {
    process.stderr.write(`no events found${flags.for ? ` for ${flags.for.kind}/${flags.for.name}` : ""} in ${cluster.namespace ?? "any"} namespace\n`);
    return;
  }
  for (const line of formatTable(header, rows, { style })) process.stdout.write(`${line}\n`);
  if (!flags.watch) return;
  const widths = columnWidths(header, rows);
  const signal = interruptSignal();
  await Promise.all(
    queries.map((q, i) =>
      followList(cluster.api, eventRef, q.namespace, { fieldSelector: q.fieldSelector, resourceVersion: lists[i].metadata.resourceVersion, signal }, (ev) => {
        const e = ev.object as CoreEvent;
        if (ev.type === "DELETED" || !wanted(e, flags)) return;
        process.stdout.write(`${formatRow(eventRow(e, flags), widths, header, style)}\n`);
      }),
    ),
  );
}

/** The object's events plus those of its source (which may live in another namespace). */
async function queriesFor(cluster: Cluster, flags: EventsFlags): Promise<Query[]> {
  if (!flags.for) return [{ namespace: cluster.namespace }];
  const namespace = flags.namespace;
  const selector = (kind: string, name: string) => `involvedObject.kind=${kind},involvedObject.name=${name}`;
  const queries: Query[] = [{ namespace, fieldSelector: selector(flags.for.kind, flags.for.name) }];
  const kind = cliKinds.find((k) => k.def.kind === flags.for!.kind);
  if (kind) {
    const source = sourceOf(await getObject(cluster, kind, namespace, flags.for.name));
    if (source) queries.push({ namespace: source.namespace, fieldSelector: selector(source.kind, source.name) });
  }
  return queries;
}

function wanted(e: CoreEvent, flags: EventsFlags): boolean {
  return !flags.types || flags.types.includes(e.type ?? "Normal");
}

function when(e: CoreEvent): number {
  return Date.parse(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? "") || 0;
}

function eventRow(e: CoreEvent, flags: EventsFlags): string[] {
  const seen = when(e) ? humanAge(Date.now() - when(e)) : "<unknown>";
  const object = `${e.involvedObject.kind}/${e.involvedObject.name}`;
  const message = (e.message ?? "").replace(/\s*\n\s*/g, " ").trim();
  const row = [seen, e.type ?? "Normal", e.reason ?? "", object, message];
  return flags.allNamespaces ? [e.metadata.namespace ?? "", ...row] : row;
}

function eventStyle(): CellStyle {
  const colours = palette(process.stdout);
  return (column, cell, padded) => (column === "TYPE" && cell === "Warning" ? colours.yellow(padded) : padded);
}
