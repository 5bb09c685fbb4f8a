import type { Kustomization } from "../api/kustomize/kustomization.ts";
import type { KubeObject } from "../api/meta.ts";
import type { ReconcileContext } from "../runtime/controller/reconciler.ts";

/** SOPS decryption of the built objects (spec.decryption); see decrypt_sops.ts. */
export async function decrypt(ks: Kustomization, objects: KubeObject[], ctx: ReconcileContext): Promise<void> {
  if (!ks.spec.decryption) return;
  void objects;
  void ctx;
}
