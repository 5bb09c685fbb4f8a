import { type Command, InvalidArgumentError, Option } from "commander";
import { formatDuration } from "../api/duration.ts";
import type { KubeObject } from "../api/meta.ts";
import { type ClusterFlags, withClusterFlags } from "./cluster_flags.ts";
import { parseDurationFlag } from "./flag_parsers.ts";

/** Flags every `create` verb shares: --export and --label (and the cluster flags). */
export interface ExportFlags extends ClusterFlags {
  export?: boolean;
  label: Record<string, string>;
}

/** Flags of the verbs that create Flux objects, as flux has them, plus whether to wait for Ready. */
export interface CreateFlags extends ExportFlags {
  interval: string;
  /** Undefined unless --wait-ready or --no-wait-ready was given. */
  waitReady?: boolean;
}

const labelKey = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const labelValue = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

export function parseLabelFlag(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const out = { ...previous };
  for (const pair of value.split(",")) {
    const eq = pair.indexOf("=");
    const key = eq < 0 ? "" : pair.slice(0, eq);
    const val = eq < 0 ? "" : pair.slice(eq + 1);
    if (!labelKey.test(key) || !labelValue.test(val) || val.length > 63) {
      throw new InvalidArgumentError(`want key=value with a valid label key and value, got ${JSON.stringify(pair)}`);
    }
    out[key] = val;
  }
  return out;
}

/** A Go duration, validated, stored in its shortest form (1m30s). */
export function parseIntervalFlag(value: string): string {
  const ms = parseDurationFlag(value);
  if (ms <= 0) throw new InvalidArgumentError(`want a duration above zero, got ${JSON.stringify(value)}`);
  return formatDuration(ms);
}

/** Comma-separated values; repeated flags add up. */
export function parseListFlag(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(",").map((v) => v.trim()).filter(Boolean)];
}

/** A flag that may be repeated or take comma-separated values, each parsed. */
export function repeatable<T>(parse: (value: string) => T): (value: string, previous?: T[]) => T[] {
  return (value, previous = []) => [...previous, ...value.split(",").map((v) => v.trim()).filter(Boolean).map(parse)];
}

/** metadata of a created object: name, the -n namespace and any --label. */
export function objectMeta(name: string, flags: ExportFlags): KubeObject["metadata"] {
  return { name, namespace: flags.namespace, ...(Object.keys(flags.label).length ? { labels: flags.label } : {}) };
}

/** --export and --label, then the cluster flags: what `create secret …` takes. */
export function withExportFlags(cmd: Command): Command {
  cmd
    .option("--export", "print the object as YAML instead of applying it")
    .addOption(new Option("--label <key=value>", "label to set (repeatable, or comma-separated)").default({}, "none").argParser(parseLabelFlag));
  return withClusterFlags(cmd);
}

/** --interval, --export, --label, --wait-ready/--no-wait-ready and the cluster flags: what creating a Flux object takes. */
export function withCreateFlags(cmd: Command): Command {
  cmd
    .addOption(new Option("--interval <duration>", "how often to reconcile, e.g. 1m, 10m, 1h").default("1m").argParser(parseIntervalFlag))
    .option("--wait-ready", "wait for Ready even when no Sluice controller reconciles the kind (e.g. Flux's own controllers do)")
    .option("--no-wait-ready", "apply and return without waiting for Ready (default: wait when a Sluice controller reconciles the kind)");
  return withExportFlags(cmd);
}
