import type { Kustomization } from "../api/kustomize/kustomization.ts";
import { ReconcileError, type ReconcileContext } from "../runtime/controller/reconciler.ts";
import { readConfig } from "./config_refs.ts";
import { ksReasons } from "./reasons.ts";

/** A kubeconfig read from spec.kubeConfig.secretRef, and how to name where it came from in messages. */
export interface KubeconfigSource {
  text: string;
  /** e.g. `KubeConfig secret 'apps/fleet' key 'value'` */
  origin: string;
}

/**
 * Reads spec.kubeConfig.secretRef from the Kustomization's namespace, as the controller: the given
 * key, else `value`, else `value.yaml`. A missing Secret or key is a ReconciliationFailed naming both.
 */
export async function readKubeconfigSecret(ks: Kustomization, ctx: ReconcileContext): Promise<KubeconfigSource> {
  const ref = ks.spec.kubeConfig!.secretRef!;
  let secret: { data?: Record<string, string> } | undefined;
  try {
    secret = await readConfig(ctx, "Secret", ks.metadata.namespace!, ref.name);
  } catch (err) {
    throw new ReconcileError(ksReasons.failed, `unable to read KubeConfig secret '${ks.metadata.namespace}/${ref.name}': ${(err as Error).message}`, { cause: err });
  }
  try {
    return kubeconfigFromSecret(ks, secret);
  } catch (err) {
    throw new ReconcileError(ksReasons.failed, (err as Error).message);
  }
}

/**
 * The kubeconfig in spec.kubeConfig.secretRef's Secret (`secret`, undefined when it does not
 * exist): the given key, else `value`, else `value.yaml`. Throws an Error naming the Secret and key
 * when there is none; shared by the controller and the CLI (which reads the Secret as its user).
 */
export function kubeconfigFromSecret(ks: Kustomization, secret: { data?: Record<string, string> } | undefined): KubeconfigSource {
  const ref = ks.spec.kubeConfig!.secretRef!;
  const secretName = `${ks.metadata.namespace}/${ref.name}`;
  if (!secret) throw new Error(`unable to read KubeConfig secret '${secretName}': not found`);
  const data = secret.data ?? {};
  const key = ref.key ? ref.key : data.value !== undefined ? "value" : data["value.yaml"] !== undefined ? "value.yaml" : undefined;
  if (key === undefined || data[key] === undefined) {
    const wanted = ref.key ? `a '${ref.key}' key` : "a 'value' or 'value.yaml' key";
    throw new Error(`KubeConfig secret '${secretName}' does not contain ${wanted} with a kubeconfig`);
  }
  return { text: Buffer.from(data[key], "base64").toString("utf8"), origin: `KubeConfig secret '${secretName}' key '${key}'` };
}
