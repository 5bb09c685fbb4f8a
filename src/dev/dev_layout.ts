import { join } from "node:path";

/** Where the dev control plane keeps each thing under its state dir. */
export interface DevLayout {
  stateDir: string;
  etcdData: string;
  pki: string;
  logs: string;
  /** Component kubeconfigs, kwok's config, serving-cert dirs. */
  config: string;
  stateFile: string;
  kubeconfig: string;
}

export function devLayout(stateDir: string): DevLayout {
  return {
    stateDir,
    etcdData: join(stateDir, "data", "etcd"),
    pki: join(stateDir, "pki"),
    logs: join(stateDir, "logs"),
    config: join(stateDir, "config"),
    stateFile: join(stateDir, "state.json"),
    kubeconfig: join(stateDir, "kubeconfig"),
  };
}

export function logFile(layout: DevLayout, component: string): string {
  return join(layout.logs, `${component}.log`);
}
