import type { KubeObject } from "../api/meta.ts";
import { ApiError, isInvalid, isNotFound } from "../runtime/kube/api_error.ts";
import type { ResourceRef } from "../runtime/kube/resource_ref.ts";
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
 * Creates or updates the object with server-side apply (field manager "sluice", forced), reporting
 * "creating"/"updating" then "created"/"updated". A missing namespace or a rejected object is one line.
 */
export async function applyObject(cluster: Cluster, ref: ResourceRef, obj: KubeObject, reporter: Reporter): Promise<void> {
  const { namespace, name } = obj.metadata as { namespace: string; name: string };
  const existing = await cluster.api.find(ref, namespace, name);
  reporter.action(`${existing ? "updating" : "creating"} ${obj.kind} ${name} in ${namespace} namespace`);
  try {
    await cluster.api.apply(obj, { fieldManager, force: true });
  } catch (err) {
    if (isNotFound(err) && err instanceof ApiError && (err.details as { kind?: string } | undefined)?.kind === "namespaces") {
      throw new CliError(`namespace ${JSON.stringify(namespace)} does not exist: create it first or pick another with -n`);
    }
    if (isInvalid(err)) throw new CliError(`the cluster rejected ${obj.kind} ${namespace}/${name}: ${(err as Error).message}`);
    throw err;
  }
  reporter.success(`${obj.kind} ${existing ? "updated" : "created"}`);
}

/**
 * Applies the object, then waits on a watch until the controller has reconciled this generation,
 * and answers the object at that point.
 */
export async function applyAndWait(cluster: Cluster, kind: CliKind, obj: KubeObject, opts: { timeoutMs: number; reporter: Reporter }): Promise<KubeObject> {
  await applyObject(cluster, kind.ref, obj, opts.reporter);
  const { namespace, name } = obj.metadata as { namespace: string; name: string };
  return waitReconciled(cluster, kind, namespace, name, {
    timeoutMs: opts.timeoutMs,
    reporter: opts.reporter,
    waitingFor: "to be reconciled",
    failure: "is not ready",
  });
}
