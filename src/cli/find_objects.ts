import type { KubeObject } from "../api/meta.ts";
import { ApiError, isNotFound } from "../runtime/kube/api_error.ts";
import { CliError } from "./cli_error.ts";
import type { CliKind } from "./cli_kinds.ts";
import type { Cluster } from "./open_cluster.ts";

export interface FindOptions {
  /** Only this object (a field selector, so the answer is still a list). */
  name?: string;
  labelSelector?: string;
}

/** Whether an error means the kind's CRD is not installed (the API path itself is unknown). */
export function isKindNotServed(err: unknown): boolean {
  return err instanceof ApiError && err.code === 404 && !err.reason;
}

/** Lists one kind in the cluster's namespace (or all with -A), items carrying apiVersion and kind. */
export async function listObjects(cluster: Cluster, kind: CliKind, opts: FindOptions = {}): Promise<{ items: KubeObject[]; resourceVersion: string }> {
  try {
    const list = await cluster.api.listAll(kind.ref, cluster.namespace, {
      fieldSelector: opts.name ? `metadata.name=${opts.name}` : undefined,
      labelSelector: opts.labelSelector,
    });
    const apiVersion = `${kind.def.group}/${kind.def.version}`;
    return {
      items: list.items.map((o) => ({ ...o, apiVersion: o.apiVersion ?? apiVersion, kind: o.kind ?? kind.def.kind })),
      resourceVersion: list.metadata.resourceVersion,
    };
  } catch (err) {
    if (isKindNotServed(err)) throw notServed(kind);
    throw err;
  }
}

/** One object, or a message that says where it was looked for and how to find the right name. */
export async function getObject(cluster: Cluster, kind: CliKind, namespace: string, name: string): Promise<KubeObject> {
  try {
    const obj = await cluster.api.get(kind.ref, namespace, name);
    return { ...obj, apiVersion: obj.apiVersion ?? `${kind.def.group}/${kind.def.version}`, kind: obj.kind ?? kind.def.kind };
  } catch (err) {
    if (isKindNotServed(err)) throw notServed(kind);
    if (isNotFound(err)) throw notFound(kind, namespace, name);
    throw err;
  }
}

export function notFound(kind: CliKind, namespace: string, name: string): CliError {
  const list = `sluice get ${kind.words.join(" ")}${kind.words[0] === "source" ? "" : "s"} -n ${namespace}`;
  return new CliError(`${kind.def.kind} ${JSON.stringify(name)} not found in namespace ${JSON.stringify(namespace)}: list them with \`${list}\``);
}

/** The kind's CRD is not installed. */
export class KindNotServedError extends CliError {}

export function notServed(kind: CliKind): KindNotServedError {
  return new KindNotServedError(
    `the cluster does not serve ${kind.def.plural}.${kind.def.group}/${kind.def.version}: install the CRDs with \`sluice install\``,
  );
}
