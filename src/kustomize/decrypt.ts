import type { Kustomization } from "../api/kustomize/kustomization.ts";
import type { KubeObject } from "../api/meta.ts";
import { ReconcileError, type ReconcileContext } from "../runtime/controller/reconciler.ts";
import { isNotFound } from "../runtime/kube/api_error.ts";
import { decryptSops, isSopsEncrypted, SopsError } from "./decrypt_sops.ts";
import { ksReasons } from "./reasons.ts";

const secrets = { group: "", version: "v1", resource: "secrets", kind: "Secret", namespaced: true };

/**
 * spec.decryption: decrypts every built object that carries SOPS metadata with the age keys
 * (`*.agekey` entries) of decryption.secretRef, unless the object is annotated
 * kustomize.toolkit.fluxcd.io/decrypt: disabled. Objects are replaced in place.
 */
export async function decrypt(ks: Kustomization, objects: KubeObject[], ctx: ReconcileContext): Promise<void> {
  const dec = ks.spec.decryption;
  if (!dec) return;
  const targets = objects.map((o, i) => [o, i] as const).filter(([o]) => isSopsEncrypted(o) && o.metadata.annotations?.["kustomize.toolkit.fluxcd.io/decrypt"]?.toLowerCase() !== "disabled");
  if (targets.length === 0) return;
  const identities = dec.secretRef ? await ageIdentities(ks, dec.secretRef.name, ctx) : [];
  for (const [obj, i] of targets) {
    try {
      objects[i] = (await decryptSops(obj as unknown as Record<string, unknown>, identities)) as unknown as KubeObject;
    } catch (err) {
      const why = err instanceof SopsError ? err.message : (err as Error).message;
      throw new ReconcileError(ksReasons.buildFailed, `decryption failed for '${obj.kind}/${obj.metadata.name}': ${why}`);
    }
  }
}

async function ageIdentities(ks: Kustomization, name: string, ctx: ReconcileContext): Promise<string[]> {
  const ns = ks.metadata.namespace!;
  let secret: { data?: Record<string, string> };
  try {
    secret = await ctx.api.get(secrets, ns, name);
  } catch (err) {
    const why = isNotFound(err) ? "not found" : (err as Error).message;
    throw new ReconcileError(ksReasons.buildFailed, `spec.decryption.secretRef: Secret '${ns}/${name}': ${why}`);
  }
  const ids: string[] = [];
  for (const [key, value] of Object.entries(secret.data ?? {})) {
    if (!key.endsWith(".agekey")) continue;
    for (const line of Buffer.from(value, "base64").toString("utf8").split("\n")) {
      const l = line.trim();
      if (l.startsWith("AGE-SECRET-KEY-")) ids.push(l);
    }
  }
  return ids;
}
