/**
 * `sluice controllers` exactly as the CLI runs it (same command, same flags), for fault tests that
 * kill the process: with SLUICE_TEST_APPLY_DELAY_MS set, every server-side apply that writes is
 * held that long first, so a SIGKILL can land in the middle of applying a stage.
 *
 *   node controllers_main.ts controllers --controllers=source,kustomize …
 */
import { ObjectApi } from "../../src/runtime/kube/objects.ts";
import { delayApplies } from "./delay_applies.ts";

delayApplies(ObjectApi.prototype, Number(process.env.SLUICE_TEST_APPLY_DELAY_MS ?? 0));
await import("../../src/cli/main.ts");
