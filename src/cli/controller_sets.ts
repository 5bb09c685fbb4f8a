import { registerKustomizeController } from "../kustomize/register.ts";
import type { ControllerFlags } from "../runtime/controller_flags.ts";
import type { Manager } from "../runtime/manager.ts";
import { registerSourceController } from "../source/register.ts";

export type RegisterControllers = (manager: Manager, flags: ControllerFlags) => Promise<void>;

/** The controllers `sluice controllers --controllers=…` can run, by name. */
export const controllerSets: Record<string, RegisterControllers> = {
  source: registerSourceController,
  kustomize: registerKustomizeController,
};

/**
 * The kinds each controller set reconciles (controller_sets_test.ts checks this against what the
 * sets register). `create` waits for Ready only on these by default: for other kinds no Sluice
 * controller would ever answer.
 */
export const reconciledKinds: Record<string, readonly string[]> = {
  source: ["GitRepository"],
  kustomize: ["Kustomization"],
};

/** Whether a Sluice controller reconciles objects of this kind. */
export function sluiceReconciles(kind: string): boolean {
  return Object.values(reconciledKinds).some((kinds) => kinds.includes(kind));
}
