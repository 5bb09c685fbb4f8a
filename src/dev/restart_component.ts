import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { devLayout } from "./dev_layout.ts";
import { readDevState, type RunningComponent, writeDevState } from "./dev_state.ts";
import { probeHealth } from "./health_probe.ts";
import { devStateDir } from "./paths.ts";
import { isAlive, startDetached, stopProcess } from "./processes.ts";
import { waitUntil } from "./wait_until.ts";

/** Where each component answers once healthy, by name. */
const healthPaths: Record<string, { scheme: "http" | "https"; path: string }> = {
  etcd: { scheme: "http", path: "/health" },
  "kube-apiserver": { scheme: "https", path: "/readyz" },
  "kube-controller-manager": { scheme: "https", path: "/healthz" },
  "kube-scheduler": { scheme: "https", path: "/healthz" },
  kwok: { scheme: "http", path: "/healthz" },
};

export interface RestartOptions {
  stateDir?: string;
  /** How long the component stays down before it is started again (default 0). */
  downMs?: number;
  /** SIGKILL at once instead of SIGTERM (a crash rather than a shutdown). */
  kill?: boolean;
  timeoutMs?: number;
}

/**
 * Stops one component of a running dev cluster and starts it again with the same command line,
 * then waits until it is healthy. For tests of how clients live through a restart.
 */
export async function restartComponent(name: string, opts: RestartOptions = {}): Promise<RunningComponent> {
  const layout = devLayout(opts.stateDir ?? devStateDir());
  const state = readDevState(layout);
  const index = state?.components.findIndex((c) => c.name === name) ?? -1;
  if (!state || index < 0) throw new Error(`no component ${name} in the dev cluster at ${layout.stateDir}`);
  const old = state.components[index];
  if (!isAlive(old.pid, old.bin)) throw new Error(`${name} (pid ${old.pid}) is not running`);
  const args = readFileSync(`/proc/${old.pid}/cmdline`, "utf8").split("\0").slice(1, -1);
  if (opts.kill) process.kill(-old.pid, "SIGKILL");
  await stopProcess(old.pid, old.bin);
  if (opts.downMs) await sleep(opts.downMs);
  const pid = startDetached(old.bin, args, old.log);
  const restarted = { ...old, pid };
  state.components[index] = restarted;
  await writeDevState(layout, state);
  const health = healthPaths[name];
  if (health) {
    await waitUntil(() => probeHealth(`${health.scheme}://127.0.0.1:${old.port}${health.path}`), {
      timeoutMs: opts.timeoutMs ?? 60_000,
      what: `${name} to be healthy again after a restart`,
      check: () => {
        if (!isAlive(pid, old.bin)) throw new Error(`${name} exited after a restart; see ${old.log}`);
      },
    });
  }
  return restarted;
}
