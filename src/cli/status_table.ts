import type { KubeObject } from "../api/meta.ts";
import type { CliKind } from "./cli_kinds.ts";
import type { Palette } from "./colour.ts";
import type { CellStyle } from "./format_table.ts";
import { statusCells } from "./status_cells.ts";

export interface TableOptions {
  allNamespaces?: boolean;
  /** `get all`: names are prefixed with the kind (gitrepository/podinfo). */
  prefixKind?: boolean;
  showSource?: boolean;
}

/** The columns `flux get` prints for a kind (Provider has no SUSPENDED; static kinds no REVISION). */
export function statusHeader(kind: CliKind, opts: TableOptions): string[] {
  const k = kind.def.kind;
  const header = opts.allNamespaces ? ["NAMESPACE", "NAME"] : ["NAME"];
  if (opts.showSource && (k === "Kustomization" || k === "HelmRelease")) header.push("SOURCE");
  if (kind.reconciled && k !== "Receiver") header.push("REVISION");
  if (kind.suspendable && k !== "Provider") header.push("SUSPENDED");
  header.push("READY", "MESSAGE");
  return header;
}

export function statusRow(kind: CliKind, obj: KubeObject, header: string[], opts: TableOptions): string[] {
  const cells = statusCells(kind, obj);
  const name = opts.prefixKind ? `${kind.def.kind.toLowerCase()}/${obj.metadata.name}` : obj.metadata.name!;
  const values: Record<string, string> = {
    NAMESPACE: obj.metadata.namespace ?? "",
    NAME: name,
    SOURCE: displaySource(obj),
    REVISION: cells.revision,
    SUSPENDED: cells.suspended,
    READY: cells.ready,
    MESSAGE: cells.message,
  };
  return header.map((h) => values[h] ?? "");
}

/** READY green/red/yellow, SUSPENDED=True yellow. */
export function statusStyle(colours: Palette): CellStyle {
  return (column, cell, padded) => {
    if (column === "READY") {
      if (cell === "True") return colours.green(padded);
      if (cell === "False") return colours.red(padded);
      return colours.yellow(padded);
    }
    if (column === "SUSPENDED" && cell === "True") return colours.yellow(padded);
    return padded;
  };
}

interface Refs {
  spec?: {
    sourceRef?: { kind: string; name: string; namespace?: string };
    chartRef?: { kind: string; name: string; namespace?: string };
    chart?: { spec?: { sourceRef?: { kind: string; name: string; namespace?: string } } };
  };
}

/** Kind/namespace/name of the source the user wrote (for a HelmRelease: its chart's repository). */
function displaySource(obj: KubeObject): string {
  const spec = (obj as Refs).spec;
  const ref = spec?.sourceRef ?? spec?.chartRef ?? spec?.chart?.spec?.sourceRef;
  return ref ? `${ref.kind}/${ref.namespace ?? obj.metadata.namespace}/${ref.name}` : "";
}
