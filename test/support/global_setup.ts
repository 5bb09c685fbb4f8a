/**
 * Global setup for node's test runner (`node --test --test-global-setup=test/support/global_setup.ts`):
 * one local control plane per test run, its kubeconfig exposed to every test file as
 * SLUICE_TEST_KUBECONFIG.
 *
 * - SLUICE_TEST_KUBECONFIG already set: that cluster is used; nothing is started or stopped.
 * - SLUICE_TEST_REUSE_DEV=1: the `sluice dev up` cluster (default state dir) is used, started if needed,
 *   and left running.
 * - otherwise: a fresh cluster in a temp state dir, stopped and deleted at the end, also when the run is
 *   interrupted (SIGINT/SIGTERM) or killed (a detached watchdog notices this process is gone).
 *   SLUICE_TEST_KEEP_STATE=1 keeps its state dir (logs) for a look afterwards.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildTools } from "../../src/dev/build_tools.ts";
import { startDevCluster, stopDevCluster } from "../../src/dev/cluster.ts";

const log = (line: string) => process.stderr.write(`[test cluster] ${line}\n`);

let owned: string | undefined;
let stopping: Promise<void> | undefined;

function stop(): Promise<void> {
  if (!owned) return Promise.resolve();
  const stateDir = owned;
  stopping ??= stopDevCluster({ stateDir, removeStateDir: process.env.SLUICE_TEST_KEEP_STATE !== "1", progress: () => {} })
    .then(() => {
      log(process.env.SLUICE_TEST_KEEP_STATE === "1" ? `stopped; state kept in ${stateDir}` : "stopped");
    });
  return stopping;
}

function onSignal(signal: NodeJS.Signals): void {
  log(`${signal}: stopping the test cluster`);
  stop().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
}

export async function globalSetup(): Promise<void> {
  if (process.env.SLUICE_TEST_KUBECONFIG) {
    log(`using SLUICE_TEST_KUBECONFIG=${process.env.SLUICE_TEST_KUBECONFIG}`);
    return;
  }
  // The controllers' tests need helm and kustomize as well as the control plane.
  await buildTools(log);
  if (process.env.SLUICE_TEST_REUSE_DEV === "1") {
    const cluster = await startDevCluster({ progress: log });
    process.env.SLUICE_TEST_KUBECONFIG = cluster.kubeconfig;
    log(`using the dev cluster: ${cluster.kubeconfig}`);
    return;
  }
  const stateDir = await mkdtemp(join(tmpdir(), "sluice-test-"));
  owned = stateDir;
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const cluster = await startDevCluster({
      stateDir,
      progress: log,
      stopWhenProcessExits: process.pid,
      removeStateDir: process.env.SLUICE_TEST_KEEP_STATE !== "1",
    });
    process.env.SLUICE_TEST_KUBECONFIG = cluster.kubeconfig;
    log(`up in ${cluster.startSeconds.toFixed(1)}s; SLUICE_TEST_KUBECONFIG=${cluster.kubeconfig}`);
  } catch (err) {
    await stop();
    throw err;
  }
}

export async function globalTeardown(): Promise<void> {
  await stop();
  process.removeListener("SIGINT", onSignal);
  process.removeListener("SIGTERM", onSignal);
}
