import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { componentByName } from "./components.ts";
import { DevError } from "./dev_error.ts";

const exec = promisify(execFile);

/** Stage files (relative to the kwok module's kustomize/stage) that make fake nodes and pods behave. */
export const kwokStageFiles = [
  "node/fast/node-initialize.yaml",
  "node/heartbeat-with-lease/node-heartbeat-with-lease.yaml",
  "pod/fast/pod-ready.yaml",
  "pod/fast/pod-complete.yaml",
  "pod/fast/pod-delete.yaml",
];

/** Where Go's module cache holds kwok's sources (downloads them if needed). */
export async function kwokModuleDir(): Promise<string> {
  const kwok = componentByName("kwok");
  try {
    const { stdout } = await exec("go", ["mod", "download", "-json", `${kwok.module}@${kwok.version}`], {
      env: { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=mod" },
    });
    return (JSON.parse(stdout) as { Dir: string }).Dir;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT") {
      throw new DevError("no Go toolchain found: kwok's stage definitions are read from its Go module. Install Go 1.26 or newer and put `go` on PATH.");
    }
    throw new DevError(`could not find kwok's module (go mod download ${kwok.module}@${kwok.version}): ${e.stderr?.trim() ?? e.message}`);
  }
}

/** The YAML text of kwok's stages, read from its module in Go's module cache. */
export async function readKwokStages(): Promise<string[]> {
  const dir = join(await kwokModuleDir(), "kustomize", "stage");
  return Promise.all(kwokStageFiles.map((f) => readFile(join(dir, f), "utf8")));
}
