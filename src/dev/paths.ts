import { homedir } from "node:os";
import { join } from "node:path";

/** Where Go-built binaries are cached: shared by every clone on the machine. */
export function cacheDir(): string {
  return process.env.SLUICE_CACHE_DIR ?? join(homedir(), ".cache", "sluice");
}

export function toolsDir(): string {
  return join(cacheDir(), "tools");
}

/** Where the dev control plane keeps its state (data, certificates, logs, pids). */
export function devStateDir(): string {
  return process.env.SLUICE_DEV_DIR ?? join(homedir(), ".sluice", "dev");
}

export function devKubeconfigPath(): string {
  return join(devStateDir(), "kubeconfig");
}
