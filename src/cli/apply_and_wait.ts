import { stringify } from "yaml";
import type { KubeObject } from "../api/meta.ts";
import { isInvalid, isNotFound } from "../runtime/kube/api_error.ts";
import { ApiError } from "../runtime/kube/api_error.ts";
import { CliError } from "./cli_error.ts";
import type { CliKind } from "./cli_kinds.ts";
import type { Cluster } from "./open_cluster.ts";
import { startProgress } from "./progress.ts";
import { reconcileState } from "./reconcile_outcome.ts";
import type { Reporter } from "./reporter.ts";
import { shortenHashes } from "./status_cells.ts";
import { waitForObject } from "./wait_for_object.ts";
import { formatDuration } from "../api/duration.ts";

export const fieldManager = "sluice";

/** `---` then the object, as `--export` prints it. */
export function exportYaml(obj: KubeObject): string {
  return `---\n${stringify(obj, { lineWidth: 0 })}`;
}

/**
 * Creates or updates the object with server-side apply (field manager "sluice"), then waits on a
 * watch until the controller has reconciled this generation, and answers the object at that point.
 */
export async function applyAndWait(cluster: Cluster, kind: CliKind, obj: KubeObject, opts: { timeoutMs: number; reporter: Reporter }): Promise<KubeObject> {
  const { namespace, name } = obj.metadata as { namespace: string; name: string };
  const id = `${kind.def.kind} ${namespace}/${name}`;
  const existing = await cluster.api.find(kind.ref, namespace, name);
  opts.reporter.action(`${existing ? "updating" : "creating"} ${kind.def.kind} ${name} in ${namespace} namespace`);
  try {
    await cluster.api.apply(obj, { fieldManager, force: true });
  } catch (err) {
    if (isNotFound(err) && err instanceof ApiError && (err.details as { kind?: string } | undefined)?.kind === "namespaces") {
      throw new CliError(`namespace ${JSON.stringify(namespace)} does not exist: create it first or pick another with -n`);
    }
    if (isInvalid(err)) throw new CliError(`the cluster rejected ${id}: ${(err as Error).message}`);
    throw err;
  }
  opts.reporter.success(`${kind.def.kind} ${existing ? "updated" : "created"}`);
  const progress = startProgress(opts.reporter, `waiting for ${id} to be reconciled`);
  try {
    return await waitForObject<KubeObject>(
      cluster.api,
      kind.ref,
      namespace,
      name,
      (current) => {
        if (!current) throw new CliError(`${id} was deleted while waiting for it to be ready`);
        const state = reconcileState(current, undefined);
        if (state.phase === "pending") return { done: false };
        if (state.phase === "ready") return { done: true, value: current };
        throw new CliError(`${id} is not ready: ${state.reason}: ${shortenHashes(state.message)}`);
      },
      {
        timeoutMs: opts.timeoutMs,
        onChange: (current) => {
          const state = current && reconcileState(current, undefined);
          if (state?.phase === "pending") progress.update(`waiting for ${id} to be reconciled: ${shortenHashes(state.detail)}`);
        },
        timeoutMessage: (last) => {
          const state = last && reconcileState(last, undefined);
          const detail = state?.phase === "pending" ? state.detail : "not ready";
          return `timed out after ${formatDuration(opts.timeoutMs)} waiting for ${id}: ${shortenHashes(detail)}; is Sluice running? check with \`sluice check\``;
        },
      },
    );
  } finally {
    progress.stop();
  }
}
