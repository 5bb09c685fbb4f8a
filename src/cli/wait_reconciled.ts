import { formatDuration } from "../api/duration.ts";
import type { KubeObject } from "../api/meta.ts";
import { CliError } from "./cli_error.ts";
import { sluiceReconciles } from "./controller_sets.ts";
import type { CliKind } from "./cli_kinds.ts";
import type { Cluster } from "./open_cluster.ts";
import { startProgress } from "./progress.ts";
import { reconcileState } from "./reconcile_outcome.ts";
import type { Reporter } from "./reporter.ts";
import { shortenHashes } from "./status_cells.ts";
import { waitForObject } from "./wait_for_object.ts";

export interface WaitReconciledOptions {
  timeoutMs: number;
  reporter: Reporter;
  /** The requestedAt value to wait for; without one, the current generation being reconciled. */
  token?: string;
  /** The first words of the progress line and of failures, e.g. "reconciliation", "to be reconciled". */
  waitingFor: string;
  /** What a failure is called: "reconciliation failed" or "is not ready". */
  failure: string;
}

/**
 * Follows an object on a watch, with a progress line, until the controller has handled the request
 * (or reconciled the generation); answers the object then, throws with its Ready reason and message.
 */
export async function waitReconciled(cluster: Cluster, kind: CliKind, namespace: string, name: string, opts: WaitReconciledOptions): Promise<KubeObject> {
  const id = `${kind.def.kind} ${namespace}/${name}`;
  const progress = startProgress(opts.reporter, `waiting for ${id} ${opts.waitingFor}`);
  try {
    return await waitForObject<KubeObject>(
      cluster.api,
      kind.ref,
      namespace,
      name,
      (obj) => {
        if (!obj) throw new CliError(`${id} was deleted while waiting for its reconciliation`);
        const state = reconcileState(obj, opts.token);
        if (state.phase === "pending") return { done: false };
        if (state.phase === "ready") return { done: true, value: obj };
        throw new CliError(`${id} ${opts.failure}: ${state.reason}: ${shortenHashes(state.message)}`);
      },
      {
        timeoutMs: opts.timeoutMs,
        onChange: (obj) => {
          const state = obj && reconcileState(obj, opts.token);
          if (state?.phase === "pending") progress.update(`waiting for ${id} ${opts.waitingFor}: ${shortenHashes(state.detail)}`);
        },
        timeoutMessage: (last) => {
          const state = last ? reconcileState(last, opts.token) : undefined;
          const after = `timed out after ${formatDuration(opts.timeoutMs)} waiting for ${id}`;
          if (!last || (state?.phase === "pending" && (state.detail.startsWith("waiting for the controller") || neverReconciled(last)))) {
            const hint = sluiceReconciles(kind.def.kind)
              ? "is Sluice running? check with `sluice check`"
              : `no Sluice controller reconciles ${kind.def.kind} yet: is another one (e.g. Flux's) running?`;
            return `${after}: no controller has handled the request yet; ${hint}`;
          }
          return `${after}: ${state?.phase === "pending" ? shortenHashes(state.detail) : "not ready"}; raise --timeout to wait longer`;
        },
      },
    );
  } finally {
    progress.stop();
  }
}

/** No controller has ever written this object's status. */
function neverReconciled(obj: KubeObject): boolean {
  const status = obj.status as { observedGeneration?: number; conditions?: unknown[] } | undefined;
  return (status?.observedGeneration ?? -1) < 1 && !status?.conditions?.length;
}
