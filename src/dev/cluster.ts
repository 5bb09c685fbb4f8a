import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { applyCrds, nudgeCrd, unestablishedCrds } from "./apply_crds.ts";
import { binaryPath, buildTools } from "./build_tools.ts";
import { type ComponentCommand, componentCommands } from "./component_commands.ts";
import { type Component, componentByName } from "./components.ts";
import { DevError } from "./dev_error.ts";
import { exitedError } from "./exited_error.ts";
import { type DevLayout, devLayout, logFile } from "./dev_layout.ts";
import { type DevState, portNames, type Ports, readDevState, type RunningComponent, writeDevState } from "./dev_state.ts";
import { ensureFakeNodes, pointFakeNodesAt, releaseFakeNodeLeases, unreadyFakeNodes } from "./fake_nodes.ts";
import { allocatePorts } from "./free_ports.ts";
import { probeHealth } from "./health_probe.ts";
import { closeKubeConnection, kubeRequest } from "./kube_request.ts";
import { renderKwokConfig } from "./kwok_config.ts";
import { applyKwokCrds } from "./kwok_crds.ts";
import { readKwokStages } from "./kwok_stages.ts";
import { devStateDir, toolsDir } from "./paths.ts";
import { createPki, type Pki } from "./pki.ts";
import { findProcesses, isAlive, startDetached, stopProcess, tailFile } from "./processes.ts";
import type { KubeConnection } from "./read_kubeconfig.ts";
import { renderKubeconfig } from "./render_kubeconfig.ts";
import { withStateLock } from "./state_lock.ts";
import { waitUntil } from "./wait_until.ts";

export interface DevClusterOptions {
  /** Default: devStateDir() (~/.sluice/dev or $SLUICE_DEV_DIR). Tests pass a throwaway dir. */
  stateDir?: string;
  /** Progress lines (default: stderr). */
  progress?: (line: string) => void;
  /** CRDs to apply (default: the project's config/crd); null applies none. */
  crdDir?: string | null;
  /** How long to wait for each component and for the nodes (default 120 s). */
  timeoutMs?: number;
  /**
   * Stop the cluster (and with removeStateDir, delete the state dir) as soon as this process exits,
   * however it exits: a detached watchdog process polls it. Used by the test harness.
   */
  stopWhenProcessExits?: number;
  removeStateDir?: boolean;
}

export interface DevCluster {
  stateDir: string;
  kubeconfig: string;
  server: string;
  ports: Ports;
  components: RunningComponent[];
  /** True when it was up already and nothing was started. */
  alreadyRunning: boolean;
  /** Seconds from the call to Ready (without building tools). */
  startSeconds: number;
  /** Seconds per component built cold during this call ({} when all were cached). */
  buildTimings: Record<string, number>;
}

export interface ComponentStatus {
  name: string;
  pid: number;
  port: number;
  alive: boolean;
  log: string;
}

export interface DevClusterStatus {
  stateDir: string;
  kubeconfig: string;
  server?: string;
  /** All components alive and /readyz ok. */
  up: boolean;
  readyz: boolean;
  components: ComponentStatus[];
}

/** Components the control plane runs, by cache entry (components.ts). */
const controlPlane = ["etcd", "kubernetes", "kwok"].map(componentByName);
const expectedComponents = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"];

const defaultCrdDir = fileURLToPath(new URL("../../config/crd", import.meta.url));

function binaryOf(binary: string): string {
  const c = controlPlane.find((c) => binary in c.binaries) as Component;
  return binaryPath(c, binary);
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)}s`;

async function adminConnection(layout: DevLayout, server: string): Promise<KubeConnection> {
  const [ca, cert, key] = await Promise.all(
    ["ca.crt", "admin.crt", "admin.key"].map((f) => readFile(join(layout.pki, f), "utf8")),
  );
  return { server, ca, cert, key };
}

async function readyz(conn: KubeConnection): Promise<boolean> {
  try {
    const res = await kubeRequest(conn, { path: "/readyz", accept: "text/plain", timeoutMs: 2_000 });
    return res.status === 200;
  } catch {
    return false;
  }
}

/** What runs where for a state dir, read from its state file and checked against the processes. */
export async function devClusterStatus(opts: { stateDir?: string } = {}): Promise<DevClusterStatus> {
  const layout = devLayout(opts.stateDir ?? devStateDir());
  const state = readDevState(layout);
  const components = (state?.components ?? []).map((c) => ({
    name: c.name, pid: c.pid, port: c.port, alive: isAlive(c.pid, c.bin), log: c.log,
  }));
  const allAlive = expectedComponents.every((n) => components.some((c) => c.name === n && c.alive));
  let ok = false;
  if (allAlive && state?.server && existsSync(join(layout.pki, "admin.key"))) {
    const conn = await adminConnection(layout, state.server);
    ok = await readyz(conn);
    closeKubeConnection(conn);
  }
  return { stateDir: layout.stateDir, kubeconfig: layout.kubeconfig, server: state?.server, up: allAlive && ok, readyz: ok, components };
}

/** Stops the components of a state dir by pid, last started first, then the watchdog. */
export async function stopDevCluster(opts: { stateDir?: string; progress?: (line: string) => void; removeStateDir?: boolean } = {}): Promise<void> {
  const stateDir = opts.stateDir ?? devStateDir();
  if (!existsSync(stateDir)) return;
  await withStateLock(stateDir, () => stopLocked({ ...opts, stateDir }));
  if (opts.removeStateDir) await rm(stateDir, { recursive: true, force: true });
}

async function stopLocked(opts: { stateDir: string; progress?: (line: string) => void }): Promise<void> {
  const layout = devLayout(opts.stateDir);
  const progress = opts.progress ?? (() => {});
  const state = readDevState(layout);
  if (state) {
    const started = Date.now();
    // Reverse start order; the three started together stop together.
    const parallel = new Set(["kube-controller-manager", "kube-scheduler", "kwok"]);
    const running = [...state.components].reverse();
    const groups = [running.filter((c) => parallel.has(c.name)), ...running.filter((c) => !parallel.has(c.name)).map((c) => [c])];
    for (const group of groups) {
      await Promise.all(
        group.map(async (c) => {
          const t = Date.now();
          const wasAlive = isAlive(c.pid, c.bin);
          await stopProcess(c.pid, c.bin);
          if (wasAlive) progress(`stopped ${c.name} (pid ${c.pid}, ${seconds(t)})`);
        }),
      );
    }
    const watchdog = state.watchdog;
    if (watchdog && watchdog.pid !== process.pid) await stopProcess(watchdog.pid, watchdog.bin, 2_000);
    if (existsSync(layout.stateDir)) await writeDevState(layout, { ...state, components: [], watchdog: undefined });
    if (state.components.length > 0) progress(`dev cluster stopped (${seconds(started)})`);
  }
  // Safety net: anything still running one of our binaries (or the watchdog) for this state dir, e.g.
  // after state.json was lost or an interrupted start.
  for (const pid of strayProcesses(layout.stateDir)) {
    const t = Date.now();
    await stopProcess(pid);
    progress(`stopped stray process ${pid} of ${layout.stateDir} (${seconds(t)})`);
  }
}

/** Processes of this state dir: a cached tool binary, or the watchdog, with an argument inside the dir. */
function strayProcesses(stateDir: string): number[] {
  const inside = `${stateDir.replace(/\/$/, "")}/`;
  const tools = `${toolsDir()}/`;
  return findProcesses((argv) =>
    (argv[0].startsWith(tools) || argv.includes(watchdogScript)) && argv.some((a) => a.includes(inside) || a === stateDir)
  ).filter((pid) => pid !== process.pid);
}

/** Stops the cluster and deletes its data, certificates and logs. */
export async function resetDevCluster(opts: { stateDir?: string; progress?: (line: string) => void } = {}): Promise<void> {
  await stopDevCluster({ ...opts, removeStateDir: true });
}

/**
 * Starts etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok (3 fake nodes) on
 * 127.0.0.1, applies the CRDs and waits until all is Ready. The processes are detached: they keep
 * running after this process exits, until stopDevCluster. Returns at once when already up.
 */
export function startDevCluster(opts: DevClusterOptions = {}): Promise<DevCluster> {
  const stateDir = opts.stateDir ?? devStateDir();
  return withStateLock(stateDir, () => startLocked({ ...opts, stateDir }));
}

async function startLocked(opts: DevClusterOptions): Promise<DevCluster> {
  const layout = devLayout(opts.stateDir ?? devStateDir());
  const progress = opts.progress ?? ((line: string) => process.stderr.write(`${line}\n`));
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const crdDir = opts.crdDir === undefined ? defaultCrdDir : opts.crdDir;
  const started = Date.now();
  const step = async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
    const t = Date.now();
    const result = await fn();
    progress(`${label} (${seconds(t)})`);
    return result;
  };

  const status = await devClusterStatus({ stateDir: layout.stateDir });
  const previous = readDevState(layout);
  if (status.up && previous?.ports && previous.server) {
    const conn = await adminConnection(layout, previous.server);
    try {
      if (crdDir) await applyAndWaitCrds(conn, crdDir, timeoutMs, () => {});
    } finally {
      closeKubeConnection(conn);
    }
    progress(`dev cluster already running (${previous.server})`);
    return {
      stateDir: layout.stateDir, kubeconfig: layout.kubeconfig, server: previous.server, ports: previous.ports,
      components: previous.components, alreadyRunning: true, startSeconds: (Date.now() - started) / 1000, buildTimings: {},
    };
  }
  if (status.components.some((c) => c.alive)) {
    progress("dev cluster is partly running; stopping it first");
    await stopLocked({ stateDir: layout.stateDir, progress });
  }

  const buildTimings = await buildTools(progress, controlPlane);
  const t0 = Date.now();

  await Promise.all([layout.etcdData, layout.logs, layout.config].map((d) => mkdir(d, { recursive: true })));
  const [pki, ports, stages] = await step("certificates, ports and kwok stages ready", async () =>
    Promise.all([createPki(layout.pki), freePorts(previous?.ports), readKwokStages()])
  );
  const server = `https://127.0.0.1:${ports["kube-apiserver"]}`;
  const kubeconfigs = await writeKubeconfigs(layout, pki, server);
  const kwokConfig = join(layout.config, "kwok.yaml");
  const commands = componentCommands({ layout, pki, ports, kubeconfigs, kwokConfig });
  const conn = await adminConnection(layout, server);

  const state: DevState = {
    ports, server, kubeconfig: layout.kubeconfig, components: [], startedAt: new Date().toISOString(),
  };
  await writeDevState(layout, state);
  const watchdog = opts.stopWhenProcessExits ? startWatchdog(layout, opts.stopWhenProcessExits, !!opts.removeStateDir) : undefined;
  if (watchdog) {
    state.watchdog = watchdog;
    await writeDevState(layout, state);
  }

  const start = async (cmd: ComponentCommand): Promise<RunningComponent> => {
    const bin = binaryOf(cmd.binary);
    const log = logFile(layout, cmd.name);
    const pid = startDetached(bin, cmd.args, log);
    const running = { name: cmd.name, pid, port: cmd.port, bin, log };
    state.components.push(running);
    await writeDevState(layout, state);
    return running;
  };
  const checkAlive = async () => {
    for (const c of state.components) if (!isAlive(c.pid, c.bin)) throw exitedError(c, await tailFile(c.log, 20));
  };
  const waitHealthy = (c: RunningComponent, cmd: ComponentCommand) =>
    waitUntil(() => (cmd.name === "kube-apiserver" ? readyz(conn) : probeHealth(cmd.health)), {
      timeoutMs, check: checkAlive, what: `${c.name} at ${cmd.health}`,
    });
  const byName = (n: string) => commands.find((c) => c.name === n) as ComponentCommand;

  try {
    await step(`etcd ready on 127.0.0.1:${ports.etcd}`, async () => {
      await waitHealthy(await start(byName("etcd")), byName("etcd"));
    });
    await step(`kube-apiserver ready on ${server}`, async () => {
      await waitHealthy(await start(byName("kube-apiserver")), byName("kube-apiserver"));
    });
    await writeFile(kwokConfig, renderKwokConfig(stages));
    await releaseFakeNodeLeases(conn);
    // kwok watches these kinds from its start, so they must be served before it runs.
    await step("kwok's Logs CRDs established", async () => waitEstablished(conn, await applyKwokCrds(conn), timeoutMs, checkAlive));
    const rest = ["kube-controller-manager", "kube-scheduler", "kwok"].map(byName);
    await Promise.all([
      ...rest.map(async (cmd) => {
        const t = Date.now();
        const c = await start(cmd);
        await waitHealthy(c, cmd);
        progress(`${cmd.name} healthy on 127.0.0.1:${cmd.port} (${seconds(t)})`);
      }),
      crdDir ? step("CRDs established", () => applyAndWaitCrds(conn, crdDir, timeoutMs, checkAlive)) : undefined,
      step("fake nodes Ready", async () => {
        const since = new Date();
        await ensureFakeNodes(conn);
        await waitUntil(async () => (await unreadyFakeNodes(conn, since)).length === 0, {
          timeoutMs, check: checkAlive, what: "the kwok nodes to be Ready and untainted",
        });
        // Nodes kept from an earlier run keep the address kwok gave them then; kwok only sets it once.
        await pointFakeNodesAt(conn, "127.0.0.1", ports.kwok);
      }),
    ]);
    await writeFile(layout.kubeconfig, renderKubeconfig({
      name: "sluice-dev", server, caPem: conn.ca!, certPem: conn.cert!, keyPem: conn.key!,
    }), { mode: 0o600 });
  } catch (err) {
    progress("start failed; stopping what was started (logs are kept)");
    await stopLocked({ stateDir: layout.stateDir, progress: () => {} }).catch(() => {});
    throw err instanceof DevError ? err : new DevError(`${err instanceof Error ? err.message : String(err)}\nlogs: ${layout.logs}`);
  } finally {
    closeKubeConnection(conn);
  }
  progress(`dev cluster up in ${seconds(t0)}`);
  return {
    stateDir: layout.stateDir, kubeconfig: layout.kubeconfig, server, ports, components: state.components,
    alreadyRunning: false, startSeconds: (Date.now() - t0) / 1000, buildTimings,
  };
}

async function freePorts(previous: Ports | undefined): Promise<Ports> {
  try {
    return await allocatePorts(portNames, previous ?? {});
  } catch (err) {
    throw new DevError(`could not bind a free port on 127.0.0.1 (${err instanceof Error ? err.message : String(err)}): is the loopback interface up?`);
  }
}

async function applyAndWaitCrds(conn: KubeConnection, dir: string, timeoutMs: number, check: () => Promise<void> | void): Promise<void> {
  await waitEstablished(conn, await applyCrds(conn, dir), timeoutMs, check);
}

async function waitEstablished(conn: KubeConnection, names: string[], timeoutMs: number, check: () => Promise<void> | void): Promise<void> {
  let nudgeAt = Date.now() + 3_000;
  await waitUntil(async () => {
    const pending = await unestablishedCrds(conn, names);
    if (pending.length > 0 && Date.now() > nudgeAt) {
      nudgeAt = Date.now() + 3_000;
      await Promise.all(pending.map((n) => nudgeCrd(conn, n)));
    }
    return pending.length === 0;
  }, {
    timeoutMs, check, what: `CRDs ${names.join(", ")} to be Established`,
  });
}

async function writeKubeconfigs(layout: DevLayout, pki: Pki, server: string): Promise<Record<"kube-controller-manager" | "kube-scheduler" | "kwok", string>> {
  const caPem = await readFile(pki.ca.cert, "utf8");
  const entries = [
    ["kube-controller-manager", pki.controllerManager],
    ["kube-scheduler", pki.scheduler],
    ["kwok", pki.kwok],
  ] as const;
  const out = {} as Record<"kube-controller-manager" | "kube-scheduler" | "kwok", string>;
  await Promise.all(entries.map(async ([name, pair]) => {
    const path = join(layout.config, `${name}.kubeconfig`);
    const [certPem, keyPem] = await Promise.all([readFile(pair.cert, "utf8"), readFile(pair.key, "utf8")]);
    await writeFile(path, renderKubeconfig({ name, server, caPem, certPem, keyPem }), { mode: 0o600 });
    out[name] = path;
  }));
  return out;
}

const watchdogScript = fileURLToPath(new URL("./cluster_watchdog.ts", import.meta.url));

function startWatchdog(layout: DevLayout, ownerPid: number, removeStateDir: boolean): { pid: number; bin: string; ownerPid: number } {
  const args = ["--disable-warning=ExperimentalWarning", watchdogScript, layout.stateDir, String(ownerPid), removeStateDir ? "remove" : "keep"];
  const pid = startDetached(process.execPath, args, logFile(layout, "watchdog"));
  return { pid, bin: process.execPath, ownerPid };
}
