import type { ControllerFlags } from "../runtime/controller_flags.ts";
import type { Manager } from "../runtime/manager.ts";

/** Adds the Kustomization controller to a manager. */
export async function registerKustomizeController(_manager: Manager, _flags: ControllerFlags): Promise<void> {}
