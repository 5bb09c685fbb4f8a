import type { ControllerFlags } from "../runtime/controller_flags.ts";

/** A Secret named by namespace and name. */
export interface SecretName {
  namespace: string;
  name: string;
}

/**
 * The --sops-age-secret Secret: in the runtime namespace, its `*.agekey` entries are fallback age
 * keys for every Kustomization with spec.decryption (after those of its own decryption.secretRef).
 * Undefined when the flag is not set.
 */
export function sopsAgeSecret(flags: Pick<ControllerFlags, "sopsAgeSecret" | "runtimeNamespace">): SecretName | undefined {
  return flags.sopsAgeSecret ? { namespace: flags.runtimeNamespace, name: flags.sopsAgeSecret } : undefined;
}
