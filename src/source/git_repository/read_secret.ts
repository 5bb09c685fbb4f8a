import type { KubeObject } from "../../api/meta.ts";
import type { GitRepository } from "../../api/source/git_repository.ts";
import type { ReconcileContext } from "../../runtime/controller/reconciler.ts";
import { secretsRef } from "../../runtime/kube/resource_ref.ts";
import type { SecretData } from "../git/git_auth.ts";

/** A Secret in the GitRepository's namespace, from the namespace-scoped cache (watched, see the reconciler), its data decoded; undefined when there is none. */
export function readSecret(obj: GitRepository, ctx: ReconcileContext, name: string): SecretData | undefined {
  const ns = obj.metadata.namespace!;
  const secret = ctx.cache.informer(secretsRef, { scoped: "namespace" }).get(ns, name) as
    | (KubeObject & { data?: Record<string, string>; stringData?: Record<string, string> })
    | undefined;
  if (!secret) return undefined;
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(secret.data ?? {})) data[k] = Buffer.from(v, "base64").toString("utf8");
  return { ref: `${ns}/${name}`, data };
}
