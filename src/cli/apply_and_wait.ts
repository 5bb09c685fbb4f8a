import type { KubeObject } from "../api/meta.ts";
import { isInvalid, isNotFound } from "../runtime/kube/api_error.ts";
import { ApiError } from "../runtime/kube/api_error.ts";
import { CliError } from "./cli_error.ts";
import type { CliKind } from "./cli_kinds.ts";
import type { Cluster } from "./open_cluster.ts";
import type { Reporter } from "./reporter.ts";
import { waitReconciled } from "./wait_reconciled.ts";
import { yamlDocuments } from "./object_output.ts";

export const fieldManager = "sluice";

/** `---` then the object, as `--export` prints it. */
export function exportYaml(obj: KubeObject): string {
  return yamlDocuments([obj]);
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
  return waitReconciled(cluster, kind, namespace, name, {
    timeoutMs: opts.timeoutMs,
    reporter: opts.reporter,
    waitingFor: "to be reconciled",
    failure: "is not ready",
  });
}
