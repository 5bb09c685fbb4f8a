import { InvalidArgumentError } from "commander";
import type { Condition, KubeObject } from "../api/meta.ts";

/** `--status-selector ready=false`: a condition type and the status it must (not) have. */
export interface StatusSelector {
  type: string;
  status: string;
  negate: boolean;
}

export function parseStatusSelector(value: string): StatusSelector {
  const m = /^([A-Za-z][\w.-]*)(!=|=)([A-Za-z]+)$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError(`want <condition>=<status> or <condition>!=<status>, e.g. ready=false, got ${JSON.stringify(value)}`);
  const status = m[3].toLowerCase();
  if (!["true", "false", "unknown"].includes(status)) {
    throw new InvalidArgumentError(`condition status must be true, false or unknown, got ${JSON.stringify(m[3])}`);
  }
  return { type: m[1].toLowerCase(), status, negate: m[2] === "!=" };
}

/**
 * Matches case-insensitively. A missing Ready condition counts as `readyWhenAbsent` (False for an
 * object not reconciled yet, as `get` prints it); any other missing condition as Unknown.
 */
export function matchesStatus(obj: KubeObject, sel: StatusSelector, readyWhenAbsent = "false"): boolean {
  const conditions = (obj as { status?: { conditions?: Condition[] } }).status?.conditions ?? [];
  const found = conditions.find((c) => c.type.toLowerCase() === sel.type);
  const actual = found ? found.status.toLowerCase() : sel.type === "ready" ? readyWhenAbsent : "unknown";
  return (actual === sel.status) !== sel.negate;
}
