import type { Condition, KubeObject } from "../api/meta.ts";
import { type CliKind, isSourceKind } from "./cli_kinds.ts";

/** What `sluice stats` counts for one kind. */
export interface ReconcilerStats {
  /** Objects not suspended (flux's RUNNING). */
  running: number;
  /** Objects whose Ready condition is False. */
  failing: number;
  suspended: number;
  /** Sum of status.artifact.size; undefined for kinds that store no artifact. */
  storageBytes?: number;
}

interface Observed {
  spec?: { suspend?: boolean };
  status?: { conditions?: Condition[]; artifact?: { size?: number } };
}

/** Counts one kind's objects the way flux stats does. */
export function reconcilerStats(kind: CliKind, items: KubeObject[]): ReconcilerStats {
  let suspended = 0;
  let failing = 0;
  let bytes = 0;
  for (const obj of items) {
    const o = obj as Observed;
    if (o.spec?.suspend === true) suspended++;
    if (o.status?.conditions?.some((c) => c.type === "Ready" && c.status === "False")) failing++;
    const size = o.status?.artifact?.size;
    if (typeof size === "number" && Number.isFinite(size)) bytes += size;
  }
  return { running: items.length - suspended, failing, suspended, storageBytes: isSourceKind(kind) ? bytes : undefined };
}

/** Bytes as flux prints them: "-" for none, 512 B, 1.5 KiB, 12.0 MiB. */
export function formatStorage(bytes: number | undefined): string {
  if (!bytes) return "-";
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
