import type { LogEntry } from "./logs_entry.ts";

/** What `sluice logs` keeps, as flux logs filters: each set field must match. */
export interface LogFilter {
  /** Exact level name. */
  level?: string;
  /** Kind, compared without case. */
  kind?: string;
  /** Object name, compared without case. */
  name?: string;
  /** Object namespace; undefined (-A) keeps every namespace, and entries about no object. */
  namespace?: string;
}

const same = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();

/** Whether an entry passes the filter. Lines that are not JSON always pass: they cannot be told apart. */
export function matchesLogFilter(entry: LogEntry, filter: LogFilter): boolean {
  if (entry.text !== undefined) return true;
  if (filter.level !== undefined && entry.level !== filter.level) return false;
  if (filter.kind !== undefined && !same(entry.kind, filter.kind)) return false;
  if (filter.name !== undefined && !same(entry.name, filter.name)) return false;
  if (filter.namespace !== undefined && !same(entry.namespace, filter.namespace)) return false;
  return true;
}
