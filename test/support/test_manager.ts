/** Runs controllers in the test process against the shared test cluster, watching one namespace. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { controllerSets } from "../../src/cli/controller_sets.ts";
import { toolBinary } from "../../src/dev/build_tools.ts";
import { type ControllerFlags, defaultControllerFlags } from "../../src/runtime/controller_flags.ts";
import { fromKubeconfigFile } from "../../src/runtime/kube/kubeconfig.ts";
import { Manager, type ManagerOptions } from "../../src/runtime/manager.ts";
import { createLogger } from "../../src/runtime/ops/logger.ts";

export function testKubeconfigPath(): string {
  const path = process.env.SLUICE_TEST_KUBECONFIG;
  if (!path) throw new Error("SLUICE_TEST_KUBECONFIG is not set: run tests through `npm test` (global setup starts a cluster)");
  return path;
}

export interface TestManager {
  manager: Manager;
  flags: ControllerFlags;
  stop(): Promise<void>;
}

/**
 * Starts a manager with the named controller sets, scoped to `namespace` so tests running side by
 * side do not reconcile each other's objects. The artifact store goes to a temp dir, served on a free port.
 */
export async function startTestManager(
  namespace: string,
  controllers: string[],
  opts: { flags?: Partial<ControllerFlags>; manager?: Partial<ManagerOptions> } = {},
): Promise<TestManager> {
  const storage = await mkdtemp(join(tmpdir(), "sluice-artifacts-"));
  const manager = new Manager({
    connection: fromKubeconfigFile(testKubeconfigPath()),
    name: "sluice",
    namespace,
    concurrent: 4,
    qps: 0,
    log: createLogger((process.env.SLUICE_TEST_LOG_LEVEL as "info") ?? "error"),
    backoff: { baseMs: 200, maxMs: 5_000 },
    ...opts.manager,
  });
  const flags = defaultControllerFlags({
    storagePath: storage,
    storageAddr: "127.0.0.1:0",
    requeueDependencyMs: 2_000,
    kustomizeBinary: toolBinary("kustomize"),
    ...opts.flags,
  });
  for (const c of controllers) await controllerSets[c](manager, flags);
  await manager.start(() => undefined);
  return {
    manager,
    flags,
    stop: async () => {
      await manager.stop();
      await rm(storage, { recursive: true, force: true });
    },
  };
}
