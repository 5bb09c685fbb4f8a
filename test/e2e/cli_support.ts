/**
 * Helpers for the CLI's end-to-end tests: run bin/sluice as its own process against the test cluster,
 * on a terminal or not, and run the real controllers with a git server for it to talk to.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import type { KubeObject } from "../../src/api/meta.ts";
import { KubeClient } from "../../src/runtime/kube/client.ts";
import { fromKubeconfigFile } from "../../src/runtime/kube/kubeconfig.ts";
import { ObjectApi } from "../../src/runtime/kube/objects.ts";
import { createLogger } from "../../src/runtime/ops/logger.ts";
import type { ResourceRef } from "../../src/runtime/kube/resource_ref.ts";
import { GitFixtures, type GitHttpServer, startGitHttpServer, type TestRepo } from "../support/git_server.ts";
import { startTestManager, type TestManager, testKubeconfigPath } from "../support/test_manager.ts";
import { configMap, kustomizeBinary } from "./kustomize_support.ts";

const bin = join(import.meta.dirname, "..", "..", "bin", "sluice");

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Environment for the CLI: the test cluster through KUBECONFIG, no colour, no inherited namespace. */
export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, KUBECONFIG: testKubeconfigPath(), NO_COLOR: "1", ...extra };
  delete env.FLUX_SYSTEM_NAMESPACE;
  delete env.FORCE_COLOR;
  for (const [k, v] of Object.entries(extra)) if (v === undefined) delete env[k];
  return env;
}

export type SpawnedSluice = ChildProcess & {
  /** The exit code; listened for from the spawn on, so an exit during an earlier await is not missed. */
  closed: Promise<number | null>;
};

/** Starts bin/sluice; the caller reads its output as it comes (for --watch). */
export function spawnSluice(args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string } = {}): SpawnedSluice {
  const child = spawn(bin, args, { env: opts.env ?? cliEnv(), stdio: ["pipe", "pipe", "pipe"] });
  child.stdin!.end(opts.input ?? "");
  const closed = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  return Object.assign(child, { closed });
}

/** Sends Ctrl-C and answers the exit code; a process still running after `timeoutMs` is killed and fails the test. */
export async function interrupt(child: SpawnedSluice, timeoutMs = 10_000): Promise<number | null> {
  child.kill("SIGINT");
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const code = await child.closed;
  clearTimeout(timer);
  if (child.signalCode === "SIGKILL") throw new Error(`sluice ${child.spawnargs.slice(1).join(" ")} did not end within ${timeoutMs} ms of Ctrl-C`);
  return code;
}

/** Runs bin/sluice to the end. */
export function sluice(args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawnSluice(args, opts);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d) => (stdout += d));
    child.stderr!.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Runs bin/sluice on a pseudo-terminal (util-linux `script`); stdout and stderr arrive together.
 * `input` is typed at the terminal (answers to questions).
 */
export function sluiceOnTty(args: string[], env: NodeJS.ProcessEnv = cliEnv(), input = "", timeoutMs = 60_000): Promise<RunResult> {
  const quote = (a: string) => `'${a.replaceAll("'", `'\\''`)}'`;
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qec", [bin, ...args].map(quote).join(" "), "/dev/null"], { env, stdio: ["pipe", "pipe", "pipe"] });
    child.stdin.end(input);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Gathers a stream's output from now on; `waitFor` resolves once the output so far passes the test. */
export function collect(stream: NodeJS.ReadableStream): { text: () => string; waitFor: (test: (all: string) => boolean, timeoutMs?: number) => Promise<string> } {
  let all = "";
  const waiters = new Set<() => void>();
  stream.on("data", (d: Buffer) => {
    all += d.toString();
    for (const w of waiters) w();
  });
  return {
    text: () => all,
    waitFor: (test, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!test(all)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(all);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for output; got:\n${all}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
  };
}

export function testApi(): ObjectApi {
  return new ObjectApi(new KubeClient(fromKubeconfigFile(testKubeconfigPath()), { qps: 0 }));
}

export const gitRepositoryRef: ResourceRef = { group: "source.toolkit.fluxcd.io", version: "v1", resource: "gitrepositories", kind: "GitRepository", namespaced: true };
export const kustomizationRef: ResourceRef = { group: "kustomize.toolkit.fluxcd.io", version: "v1", resource: "kustomizations", kind: "Kustomization", namespaced: true };

export function gitRepository(namespace: string, name: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: "source.toolkit.fluxcd.io/v1",
    kind: "GitRepository",
    metadata: { name, namespace },
    spec: { interval: "10m", url: "https://example.com/repo.git", ref: { branch: "main" }, ...spec },
  };
}

export function kustomization(namespace: string, name: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    metadata: { name, namespace },
    spec: { interval: "10m", prune: true, path: "./", sourceRef: { kind: "GitRepository", name: "repo" }, ...spec },
  };
}

/**
 * A git repository on a local git HTTP server plus the real source and kustomize controllers, scoped
 * to one namespace: what the CLI talks to in a cluster running Sluice.
 */
export interface Fleet {
  repo: TestRepo;
  server: GitHttpServer;
  /** First commit: apps/settings.yaml (a ConfigMap). */
  sha: string;
  controllers: TestManager;
  stop(): Promise<void>;
}

export async function startFleet(namespace: string): Promise<Fleet> {
  const fixtures = await GitFixtures.create();
  const server = await startGitHttpServer(fixtures.root);
  const repo = await fixtures.repo("fleet");
  const sha = await repo.commit({ "apps/settings.yaml": configMap("settings") }, "first");
  const controllers = await startTestManager(namespace, ["source", "kustomize"], {
    flags: { kustomizeBinary: kustomizeBinary() },
    // Failures are what these tests provoke; the CLI's output is what they check, not the controllers' logs.
    manager: process.env.SLUICE_TEST_LOG_LEVEL ? {} : { log: createLogger("fatal") },
  });
  return {
    repo,
    server,
    sha,
    controllers,
    async stop() {
      // Kustomizations carry a finalizer: delete them while the controller still runs.
      const api = controllers.manager.api;
      for (const k of (await api.list(kustomizationRef, namespace)).items) await api.delete(kustomizationRef, namespace, k.metadata.name!);
      for (let i = 0; i < 100 && (await api.list(kustomizationRef, namespace)).items.length; i++) await new Promise((r) => setTimeout(r, 200));
      await controllers.stop();
      await server.stop();
      await fixtures.cleanup();
    },
  };
}

/**
 * Runs each bad invocation and checks it fails with exit code 1, nothing on stdout, and one line on
 * stderr: exactly the message given as a string, or one matching the RegExp. `files` maps
 * placeholder words in string arguments and messages to paths.
 */
export async function expectOneLineErrors(cases: Array<[string[], string | RegExp]>, extraArgs: string[], files: Record<string, string> = {}): Promise<void> {
  const words = Object.keys(files);
  const fill = (s: string) => (words.length ? s.replace(new RegExp(`\\b(${words.join("|")})\\b`, "g"), (m) => files[m]) : s);
  for (const [args, message] of cases) {
    const r = await sluice([...args.map(fill), ...extraArgs]);
    const what = args.join(" ");
    assert.equal(r.code, 1, `${what}: ${r.stderr}`);
    if (typeof message === "string") assert.equal(r.stderr, `${fill(message)}\n`, what);
    else assert.match(r.stderr, message, what);
    assert.equal(r.stderr.trimEnd().split("\n").length, 1, `${what}: ${r.stderr}`);
    assert.equal(r.stdout, "", what);
  }
}
