/** One controller log line, read from our pino JSON format (or Flux's zap format), or passed through as text. */
export interface LogEntry {
  /** ISO time, when the line has one. */
  time?: string;
  /** Level name: trace, debug, info, warn, error or fatal. */
  level?: string;
  controller?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  msg: string;
  /** The error's message, when the entry carries one. */
  err?: string;
  reconcileID?: string;
  /** The line as written, for lines that are not a JSON object. */
  text?: string;
}

/** pino's numeric levels (its default formatter), by lower bound. */
const numericLevels: [number, string][] = [[60, "fatal"], [50, "error"], [40, "warn"], [30, "info"], [20, "debug"], [10, "trace"]];

function levelName(value: unknown): string | undefined {
  if (typeof value === "number") return numericLevels.find(([n]) => value >= n)?.[1] ?? "trace";
  if (typeof value === "string" && value !== "") return value.toLowerCase();
  return undefined;
}

function isoTime(value: unknown): string | undefined {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number" && Number.isFinite(value)) {
    // pino's epoch milliseconds, or zap's epoch seconds (with a fraction).
    return new Date(value > 1e11 ? value : value * 1000).toISOString();
  }
  return undefined;
}

function errorText(value: unknown): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "object") {
    const message = (value as { message?: unknown }).message;
    return typeof message === "string" ? message : JSON.stringify(value);
  }
  return String(value);
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : undefined);

/**
 * Parses one log line. A JSON object gives its fields (pino's level/time/err or zap's ts/error, and the
 * object under reconcile: controller, kind, namespace, name); anything else is kept as `text`.
 */
export function parseLogLine(line: string): LogEntry {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { msg: line, text: line };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return { msg: line, text: line };
  const e = value as Record<string, unknown>;
  return {
    time: isoTime(e.time ?? e.ts),
    level: levelName(e.level),
    controller: str(e.controller),
    kind: str(e.kind),
    namespace: str(e.namespace),
    name: str(e.name),
    msg: typeof e.msg === "string" ? e.msg : e.msg === undefined ? "" : String(e.msg),
    err: errorText(e.err ?? e.error),
    reconcileID: str(e.reconcileID),
  };
}
