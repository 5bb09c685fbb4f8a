import { annotations } from "../api/meta.ts";
import type { KubeObject } from "../api/meta.ts";
import type { CliKind } from "./cli_kinds.ts";
import type { Cluster } from "./open_cluster.ts";
import type { Reporter } from "./reporter.ts";
import { waitReconciled } from "./wait_reconciled.ts";

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
  const announce = opts.announce ?? true;
  if (announce) opts.reporter.action(`annotating ${kind.def.kind} ${name} in ${namespace} namespace`);
  await cluster.api.mergePatch(kind.ref, namespace, name, {
    metadata: { annotations: { [annotations.requestedAt]: token, ...opts.patch?.annotations } },
    ...(opts.patch?.spec ? { spec: opts.patch.spec } : {}),
  });
  if (announce) opts.reporter.success(`${kind.def.kind} annotated`);
  if (opts.noWait) return cluster.api.get(kind.ref, namespace, name);

  return waitReconciled(cluster, kind, namespace, name, {
    timeoutMs: opts.timeoutMs,
    reporter: opts.reporter,
    token,
    waitingFor: "reconciliation",
    failure: "reconciliation failed",
  });
}
