import { InvalidArgumentError } from "commander";
import { parseDuration } from "../api/duration.ts";

export function parseIntFlag(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`want a whole number, got ${JSON.stringify(value)}`);
  return n;
}

/** A Go duration (30s, 1m30s, 2h) in milliseconds. */
export function parseDurationFlag(value: string): number {
  try {
    return parseDuration(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

/**
 * Accepts Go-style boolean flags (`--flag=true`, `--flag=false`, `--no-flag=true`) as Flux's
 * controllers take them: rewritten to the forms commander knows (`--flag`, `--no-flag`).
 */
export function normalizeBooleanFlags(args: string[]): string[] {
  const out: string[] = [];
  for (const arg of args) {
    const m = /^--([a-z0-9-]+)=(true|false)$/i.exec(arg);
    if (!m) {
      out.push(arg);
      continue;
    }
    const [, name, value] = m;
    const on = value.toLowerCase() === "true";
    if (name.startsWith("no-")) {
      if (on) out.push(`--${name}`);
      else out.push(`--${name.slice(3)}`);
    } else out.push(on ? `--${name}` : `--no-${name}`);
  }
  return out;
}

const sizeUnits: Record<string, number> = { "": 1, k: 1e3, m: 1e6, g: 1e9, ki: 1024, mi: 1024 ** 2, gi: 1024 ** 3 };

/** A byte size: 1048576, 512Mi, 1Gi, 100M. */
export function parseSizeFlag(value: string): number {
  const m = /^(\d+)([kKmMgG]i?)?$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError(`want a size such as 512Mi or 1Gi, got ${JSON.stringify(value)}`);
  return Number(m[1]) * sizeUnits[(m[2] ?? "").toLowerCase()];
}
