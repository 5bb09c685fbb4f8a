import { pino } from "pino";

export type Logger = pino.Logger;

export type LogLevel = "trace" | "debug" | "info" | "warn" | "error" | "fatal";

/** --log-encoding: JSON lines (the default, for log collectors) or one human-readable line per entry. */
export type LogEncoding = "json" | "console";

export interface LoggerOptions {
  encoding?: LogEncoding;
}

/**
 * Structured logs: level, time, msg, plus whatever context a child logger carries. With
 * encoding "console" each JSON entry is rewritten as one readable line (see formatConsoleLine).
 */
export function createLogger(level: LogLevel = "info", destination?: pino.DestinationStream, opts: LoggerOptions = {}): Logger {
  const out = opts.encoding === "console" ? consoleDestination(destination ?? process.stdout) : destination;
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      messageKey: "msg",
    },
    out,
  );
}

/** A destination that turns each JSON line pino writes into a console line before passing it on. */
export function consoleDestination(out: { write(text: string): unknown }): pino.DestinationStream {
  return { write: (line: string) => void out.write(formatConsoleLine(line)) };
}

/** Fields shown in fixed places on a console line, not as key=value. */
const placed = new Set(["time", "level", "msg", "controller", "kind", "namespace", "name"]);

/**
 * One pino JSON entry as `<time> <LEVEL> <controller> <Kind/namespace/name> <message> key=value…`,
 * leaving out the parts an entry does not have. A line that is not a JSON object passes unchanged.
 */
export function formatConsoleLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith("\n") ? line : `${line}\n`;
  }
  if (entry === null || typeof entry !== "object" || Array.isArray(entry)) return line.endsWith("\n") ? line : `${line}\n`;
  const parts: string[] = [];
  if (entry.time !== undefined) parts.push(String(entry.time));
  parts.push(String(entry.level ?? "info").toUpperCase().padEnd(5));
  if (entry.controller !== undefined) parts.push(String(entry.controller));
  const object = objectOf(entry);
  if (object) parts.push(object);
  if (entry.msg !== undefined && entry.msg !== "") parts.push(String(entry.msg));
  for (const [key, value] of Object.entries(entry)) {
    if (placed.has(key) || value === undefined) continue;
    parts.push(`${key}=${fieldValue(value)}`);
  }
  return `${parts.join(" ")}\n`;
}

function objectOf(entry: Record<string, unknown>): string {
  const path = [entry.namespace, entry.name].filter((p) => p !== undefined && p !== "").map(String).join("/");
  if (!path) return entry.kind !== undefined && entry.controller === undefined ? String(entry.kind) : "";
  return entry.kind !== undefined ? `${String(entry.kind)}/${path}` : path;
}

/** Plain words stay bare; anything with spaces, quotes or '=' is quoted; objects are JSON; errors show their message. */
function fieldValue(value: unknown): string {
  if (value !== null && typeof value === "object") {
    const err = value as { message?: unknown; type?: unknown; stack?: unknown };
    if (typeof err.message === "string" && (typeof err.stack === "string" || typeof err.type === "string")) return JSON.stringify(err.message);
    return JSON.stringify(value);
  }
  const text = String(value);
  return text === "" || /[\s"=]/.test(text) ? JSON.stringify(text) : text;
}
