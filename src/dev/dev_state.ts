import { readFileSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import type { DevLayout } from "./dev_layout.ts";

export const portNames = [
  "etcd",
  "etcd-peer",
  "kube-apiserver",
  "kube-controller-manager",
  "kube-scheduler",
  "kwok",
] as const;

export type PortName = (typeof portNames)[number];
export type Ports = Record<PortName, number>;

export interface RunningComponent {
  name: string;
  pid: number;
  port: number;
  /** The program's path, checked against /proc so a reused pid is never signalled. */
  bin: string;
  log: string;
}

/** What `dev up` leaves in state.json: ports (kept across down/up) and the running processes. */
export interface DevState {
  ports?: Ports;
  /** In start order; empty when down. */
  components: RunningComponent[];
  kubeconfig: string;
  server?: string;
  startedAt?: string;
  /** The process that stops the cluster when its owner (a test run) dies. */
  watchdog?: { pid: number; bin: string; ownerPid: number };
}

export function readDevState(layout: DevLayout): DevState | undefined {
  try {
    return JSON.parse(readFileSync(layout.stateFile, "utf8")) as DevState;
  } catch {
    return undefined;
  }
}

let queue: Promise<void> = Promise.resolve();

/**
 * Writes state.json atomically. Writes are queued and each serializes `state` when its turn comes, so
 * concurrent callers (components started in parallel) never leave an older snapshot last.
 */
export function writeDevState(layout: DevLayout, state: DevState): Promise<void> {
  const write = async () => {
    const tmp = `${layout.stateFile}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`);
    await rename(tmp, layout.stateFile);
  };
  const next = queue.then(write, write);
  queue = next.catch(() => {});
  return next;
}
