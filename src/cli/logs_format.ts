import type { LogEntry } from "./logs_entry.ts";

/**
 * One readable line per entry, as flux logs prints: `<time> <level> <Kind>/<namespace>/<name> - <msg>`,
 * with `: <err>` after the message when the entry carries an error. An entry about no object shows its controller instead; a line
 * that was not JSON is printed as it was.
 */
export function formatLogEntry(entry: LogEntry): string {
  if (entry.text !== undefined) return entry.text;
  const parts: string[] = [];
  if (entry.time) parts.push(entry.time);
  parts.push(entry.level ?? "info");
  const object = objectOf(entry);
  if (object) parts.push(object);
  const text = entry.err ? (entry.msg ? `${entry.msg}: ${entry.err}` : entry.err) : entry.msg;
  return `${parts.join(" ")} - ${text}`;
}

function objectOf(entry: LogEntry): string | undefined {
  if (entry.name === undefined) return entry.controller ?? entry.kind;
  const path = entry.namespace !== undefined ? `${entry.namespace}/${entry.name}` : entry.name;
  return entry.kind !== undefined ? `${entry.kind}/${path}` : path;
}
