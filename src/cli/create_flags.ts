import { type Command, InvalidArgumentError, Option } from "commander";
import { formatDuration } from "../api/duration.ts";
import { withClusterFlags } from "./cluster_flags.ts";
import { parseDurationFlag } from "./flag_parsers.ts";

/** Flags every `create` verb shares, as flux has them. */
export interface CreateFlags {
  interval: string;
  export?: boolean;
  label: Record<string, string>;
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

export function withCreateFlags(cmd: Command): Command {
  cmd
    .addOption(new Option("--interval <duration>", "how often to reconcile, e.g. 1m, 10m, 1h").default("1m").argParser(parseIntervalFlag))
    .option("--export", "print the object as YAML instead of applying it")
    .addOption(new Option("--label <key=value>", "label to set (repeatable, or comma-separated)").default({}, "none").argParser(parseLabelFlag));
  return withClusterFlags(cmd);
}
