import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Component, componentByName, components } from "./components.ts";
import { toolsDir } from "./paths.ts";

/** Raised with enough of the go output for a user to act on. */
export class BuildError extends Error {}

export interface BuildProgress {
  (line: string): void;
}

/** Folder holding the binaries of one component at one version. */
export function componentDir(c: Component): string {
  return join(toolsDir(), `${c.name}-${c.version}`);
}

export function binaryPath(c: Component, binary: string): string {
  return join(componentDir(c), "bin", binary);
}

export function isBuilt(c: Component): boolean {
  return Object.keys(c.binaries).every((b) => existsSync(binaryPath(c, b)));
}

/** Where a component's cold build time is recorded, beside its binaries. */
function buildRecordPath(c: Component): string {
  return join(componentDir(c), "build.json");
}

/** Seconds each cached component took to build cold, as recorded when it was built (if it was). */
export async function recordedBuildTimings(wanted: Component[] = components): Promise<Record<string, number>> {
  const timings: Record<string, number> = {};
  for (const c of wanted) {
    try {
      const record = JSON.parse(await readFile(buildRecordPath(c), "utf8")) as { seconds?: number };
      if (typeof record.seconds === "number") timings[c.name] = record.seconds;
    } catch {
      // not recorded (built before records were kept, or not built)
    }
  }
  return timings;
}

const goEnv = {
  GOTOOLCHAIN: "local",
  CGO_ENABLED: "0",
  GOFLAGS: "-mod=mod",
};

/** Builds every component that is not cached yet; returns the seconds each cold build took. */
export async function buildTools(
  progress: BuildProgress,
  wanted: Component[] = components,
): Promise<Record<string, number>> {
  const missing = wanted.filter((c) => !isBuilt(c));
  if (missing.length === 0) return {};
  await checkGo();
  const timings: Record<string, number> = {};
  for (const [i, c] of missing.entries()) {
    const started = Date.now();
    const label = `[${i + 1}/${missing.length}] ${c.name} ${c.version}`;
    progress(`building ${label} (first run only; cached in ${componentDir(c)})`);
    const ticker = setInterval(() => {
      progress(`  still building ${c.name}… ${Math.round((Date.now() - started) / 1000)}s`);
    }, 30_000);
    try {
      await buildComponent(c);
    } finally {
      clearInterval(ticker);
    }
    timings[c.name] = (Date.now() - started) / 1000;
    await writeFile(
      buildRecordPath(c),
      `${JSON.stringify({ seconds: timings[c.name], builtAt: new Date().toISOString() })}\n`,
    ).catch(() => {});
    progress(`built ${c.name} in ${timings[c.name].toFixed(0)}s`);
  }
  return timings;
}

async function checkGo(): Promise<void> {
  try {
    await run("go", ["version"], process.cwd());
  } catch {
    throw new BuildError(
      "no Go toolchain found: the local control plane is built from Go modules. Install Go 1.26 or newer and put `go` on PATH.",
    );
  }
}

async function buildComponent(c: Component): Promise<void> {
  const work = `${componentDir(c)}.work`;
  const out = `${componentDir(c)}.tmp`;
  await rm(out, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  await mkdir(join(out, "bin"), { recursive: true });
  if (!existsSync(join(work, "go.mod"))) {
    await writeFile(
      join(work, "go.mod"),
      `module sluice.local/build/${c.name}\n\ngo 1.26.0\n\ngodebug default=go1.26\n`,
    );
  }
  if (c.kubernetesStaging) await addStagingReplaces(c, work);
  for (const pkg of new Set(Object.values(c.binaries))) {
    await run("go", ["get", `${pkg}@${c.version}`], work);
  }
  const ldflags = ["-s", "-w", ...(c.stamp?.(new Date().toISOString().replace(/\.\d+Z$/, "Z")) ?? [])];
  for (const [binary, pkg] of Object.entries(c.binaries)) {
    await run(
      "go",
      ["build", "-trimpath", "-ldflags", ldflags.join(" "), "-o", join(out, "bin", binary), pkg],
      work,
    );
  }
  await rm(componentDir(c), { recursive: true, force: true });
  await rename(out, componentDir(c));
  // The module sources stay in Go's module cache; the throwaway module itself is not needed again.
  await rm(work, { recursive: true, force: true });
}

/** Rewrites every `k8s.io/x => ./staging/...` replace of k8s.io/kubernetes to the published module. */
async function addStagingReplaces(c: Component, work: string): Promise<void> {
  const info = JSON.parse(await run("go", ["mod", "download", "-json", `${c.module}@${c.version}`], work)) as {
    GoMod: string;
  };
  const upstream = await readFile(info.GoMod, "utf8");
  const stagingVersion = c.version.replace(/^v1\./, "v0.");
  const names = [...upstream.matchAll(/^\s*(k8s\.io\/[\w.-]+)\s*=>\s*\.\/staging\//gm)].map((m) => m[1]);
  if (names.length === 0) throw new BuildError(`no staging replaces found in ${info.GoMod}`);
  const replaces = names.map((n) => `replace ${n} => ${n} ${stagingVersion}`).join("\n");
  const gomod = await readFile(join(work, "go.mod"), "utf8");
  if (!gomod.includes("replace ")) await writeFile(join(work, "go.mod"), `${gomod}\n${replaces}\n`);
}

function run(cmd: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...goEnv }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) return resolve(stdout);
      const tail = stderr.trim().split("\n").slice(-20).join("\n");
      reject(new BuildError(`${cmd} ${args.slice(0, 2).join(" ")} failed (exit ${code}) in ${cwd}:\n${tail}`));
    });
  });
}

/** The cached build of a tool when there is one, else its name for a PATH lookup. */
export function toolBinary(component: string, binary = component): string {
  const cached = binaryPath(componentByName(component), binary);
  return existsSync(cached) ? cached : binary;
}
