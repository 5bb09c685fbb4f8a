import type { Condition, KubeObject } from "../api/meta.ts";
import type { CliKind } from "./cli_kinds.ts";

/** The cells `flux get` prints for one object. */
export interface StatusCells {
  revision: string;
  suspended: string;
  ready: string;
  message: string;
}

interface Observed {
  spec?: { suspend?: boolean; type?: string };
  status?: {
    conditions?: Condition[];
    artifact?: { revision?: string };
    lastAppliedRevision?: string;
    lastAttemptedRevision?: string;
    history?: Array<{ chartVersion?: string }>;
  };
}

const longHex = /\b[a-f0-9]{40,128}\b/g;

/** Commit and digest hashes shortened to 8 characters, as flux prints them. */
export function shortenHashes(text: string): string {
  return text.replace(longHex, (hex) => hex.slice(0, 8));
}

export function revisionOf(kind: CliKind, obj: KubeObject): string {
  const status = (obj as Observed).status;
  switch (kind.def.kind) {
    case "Kustomization":
      return status?.lastAppliedRevision ?? "";
    case "HelmRelease":
      return status?.history?.[0]?.chartVersion ?? status?.lastAttemptedRevision ?? "";
    default:
      return status?.artifact?.revision ?? "";
  }
}

export function statusCells(kind: CliKind, obj: KubeObject): StatusCells {
  const o = obj as Observed;
  const suspended = o.spec?.suspend === true ? "True" : "False";
  const revision = revisionOf(kind, obj);
  const shown = kind.def.kind === "HelmChart" ? revision : shortenHashes(revision);
  // Static kinds and OCI Helm repositories have nothing to reconcile: always ready.
  if (!kind.reconciled) return { revision: shown, suspended, ready: "True", message: `${kind.def.kind} is Ready` };
  if (kind.def.kind === "HelmRepository" && o.spec?.type === "oci") {
    return { revision: shown, suspended, ready: "True", message: "Helm repository is Ready" };
  }
  const ready = o.status?.conditions?.find((c) => c.type === "Ready");
  if (!ready) return { revision: shown, suspended, ready: "False", message: "waiting to be reconciled" };
  return { revision: shown, suspended, ready: ready.status, message: shortenHashes(ready.message) };
}
