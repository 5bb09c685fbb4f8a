import { annotations } from "../api/meta.ts";
import type { KubeObject } from "../api/meta.ts";
import { formatDuration } from "../api/duration.ts";
import { CliError } from "./cli_error.ts";
import type { CliKind } from "./cli_kinds.ts";
import type { Cluster } from "./open_cluster.ts";
import { startProgress } from "./progress.ts";
import { reconcileState } from "./reconcile_outcome.ts";
import type { Reporter } from "./reporter.ts";
import { shortenHashes } from "./status_cells.ts";
import { waitForObject } from "./wait_for_object.ts";

export interface RequestOptions {
  timeoutMs: number;
  reporter: Reporter;
  /** Merged into the patch with the annotation, e.g. {spec: {suspend: false}} for resume. */
  patch?: { spec?: Record<string, unknown>; annotations?: Record<string, string> };
  /** Skip the wait: only ask. */
  noWait?: boolean;
  /** Report the annotation step (reconcile does; resume reports its own step). */
  announce?: boolean;
  /** The requestedAt value; now by default. */
  token?: string;
}

/**
 * Asks the controller for a reconcile now (reconcile.fluxcd.io/requestedAt), then follows the object
 * on a watch until the controller reports it handled that request, and answers the object as it was then.
 * Throws with the Ready reason and message when the reconcile failed.
 */
export async function requestReconcile(
  cluster: Cluster,
  kind: CliKind,
  namespace: string,
  name: string,
  opts: RequestOptions,
): Promise<KubeObject> {
  const token = opts.token ?? new Date().toISOString();
  const id = `${kind.def.kind} ${namespace}/${name}`;
  const announce = opts.announce ?? true;
  if (announce) opts.reporter.action(`annotating ${kind.def.kind} ${name} in ${namespace} namespace`);
  await cluster.api.mergePatch(kind.ref, namespace, name, {
    metadata: { annotations: { [annotations.requestedAt]: token, ...opts.patch?.annotations } },
    ...(opts.patch?.spec ? { spec: opts.patch.spec } : {}),
  });
  if (announce) opts.reporter.success(`${kind.def.kind} annotated`);
  if (opts.noWait) return cluster.api.get(kind.ref, namespace, name);

  const progress = startProgress(opts.reporter, `waiting for ${id} reconciliation`);
  try {
    return await waitForObject<KubeObject>(
      cluster.api,
      kind.ref,
      namespace,
      name,
      (obj) => {
        if (!obj) throw new CliError(`${id} was deleted while waiting for its reconciliation`);
        const state = reconcileState(obj, token);
        if (state.phase === "pending") return { done: false };
        if (state.phase === "ready") return { done: true, value: obj };
        throw new CliError(`${id} reconciliation failed: ${state.reason}: ${shortenHashes(state.message)}`);
      },
      {
        timeoutMs: opts.timeoutMs,
        onChange: (obj) => {
          if (!obj) return;
          const state = reconcileState(obj, token);
          if (state.phase === "pending") progress.update(`waiting for ${id} reconciliation: ${shortenHashes(state.detail)}`);
        },
        timeoutMessage: (last) => {
          const state = last ? reconcileState(last, token) : undefined;
          const after = `timed out after ${formatDuration(opts.timeoutMs)} waiting for ${id}`;
          if (state?.phase === "pending" && state.detail.startsWith("waiting for the controller")) {
            return `${after}: no controller has handled the request yet; is Sluice running? check with \`sluice check\``;
          }
          return `${after}: ${state?.phase === "pending" ? shortenHashes(state.detail) : "not ready"}; raise --timeout to wait longer`;
        },
      },
    );
  } finally {
    progress.stop();
  }
}
