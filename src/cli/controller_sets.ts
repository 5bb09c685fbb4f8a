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
