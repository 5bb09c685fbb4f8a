/**
 * Helpers for the CLI's end-to-end tests: run bin/sluice as its own process against the test cluster,
 * give each test a fresh namespace, and stand-in controllers that answer reconcile requests the way
 * the real ones do (through the runtime), so CLI tests do not wait on the controllers' own work.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { KubeObject } from "../../src/api/meta.ts";
import { gitRepositoryKind } from "../../src/api/source/git_repository.ts";
import { kustomizationKind } from "../../src/api/kustomize/kustomization.ts";
import { ReconcileError, type Reconciler } from "../../src/runtime/controller/reconciler.ts";
import { KubeClient } from "../../src/runtime/kube/client.ts";
import { fromKubeconfigFile } from "../../src/runtime/kube/kubeconfig.ts";
import { ObjectApi } from "../../src/runtime/kube/objects.ts";
import type { ResourceRef } from "../../src/runtime/kube/resource_ref.ts";
import { Manager } from "../../src/runtime/manager.ts";
import { createLogger } from "../../src/runtime/ops/logger.ts";
import { markReady } from "../../src/runtime/status/conditions.ts";
import { testKubeconfigPath } from "../support/test_manager.ts";

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

/** Starts bin/sluice; the caller reads its output as it comes (for --watch). */
export function spawnSluice(args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string } = {}): ChildProcess {
  const child = spawn(bin, args, { env: opts.env ?? cliEnv(), stdio: ["pipe", "pipe", "pipe"] });
  child.stdin!.end(opts.input ?? "");
  return child;
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

/** Runs bin/sluice on a pseudo-terminal (util-linux `script`); stdout and stderr arrive together. */
export function sluiceOnTty(args: string[], env: NodeJS.ProcessEnv = cliEnv()): Promise<RunResult> {
  const quote = (a: string) => `'${a.replaceAll("'", `'\\''`)}'`;
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qec", [bin, ...args].map(quote).join(" "), "/dev/null"], { env, stdio: ["pipe", "pipe", "pipe"] });
    child.stdin.end();
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Resolves once `text` has appeared in the stream, or rejects after timeoutMs. */
export function waitForOutput(stream: NodeJS.ReadableStream, test: (all: string) => boolean, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let all = "";
    const timer = setTimeout(() => reject(new Error(`timed out waiting for output; got:\n${all}`)), timeoutMs);
    const onData = (d: Buffer) => {
      all += d.toString();
      if (test(all)) {
        clearTimeout(timer);
        stream.off("data", onData);
        resolve(all);
      }
    };
    stream.on("data", onData);
  });
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

/** A commit hash that changes with every reconcile request, so each fetch has its own revision. */
function commitFor(obj: KubeObject): string {
  const requested = obj.metadata.annotations?.["reconcile.fluxcd.io/requestedAt"] ?? "";
  return createHash("sha1").update(`${obj.metadata.uid}${requested}${obj.metadata.generation}`).digest("hex");
}

interface Spec {
  url?: string;
  path?: string;
  ref?: { branch?: string };
  sourceRef?: { name: string; namespace?: string };
}

/**
 * Stand-ins for the source and kustomize controllers. A URL containing "fail" fails the fetch;
 * a path containing "fail" fails the build; a path containing "slow" takes 1.5s.
 */
const fakeGit: Reconciler<KubeObject & { spec: Spec }> = {
  name: "fake-gitrepository",
  kind: gitRepositoryKind,
  async reconcile(obj) {
    if (obj.spec.url?.includes("fail")) {
      throw new ReconcileError("GitOperationFailed", `failed to checkout and determine revision: unable to clone '${obj.spec.url}': repository not found`);
    }
    const revision = `${obj.spec.ref?.branch ?? "master"}@sha1:${commitFor(obj)}`;
    const status = ((obj as { status?: Record<string, unknown> }).status ??= {});
    status.artifact = {
      revision,
      digest: `sha256:${createHash("sha256").update(revision).digest("hex")}`,
      path: `gitrepository/${obj.metadata.namespace}/${obj.metadata.name}/x.tar.gz`,
      url: "http://127.0.0.1/x.tar.gz",
      lastUpdateTime: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    };
    markReady(obj as never, "Succeeded", `stored artifact for revision '${revision}'`);
  },
};

const fakeKustomize: Reconciler<KubeObject & { spec: Spec }> = {
  name: "fake-kustomization",
  kind: kustomizationKind,
  async reconcile(obj, ctx) {
    const ns = obj.spec.sourceRef?.namespace ?? obj.metadata.namespace;
    const source = ctx.cache.informer(gitRepositoryRef, { scoped: true }).get(ns, obj.spec.sourceRef!.name) as
      | { status?: { artifact?: { revision: string } } }
      | undefined;
    const revision = source?.status?.artifact?.revision;
    if (!revision) throw new ReconcileError("ArtifactFailed", `Source 'GitRepository/${ns}/${obj.spec.sourceRef!.name}' not found or not ready`);
    if (obj.spec.path?.includes("slow")) await new Promise((r) => setTimeout(r, 1500));
    const status = ((obj as { status?: Record<string, unknown> }).status ??= {});
    status.lastAttemptedRevision = revision;
    if (obj.spec.path?.includes("fail")) {
      throw new ReconcileError("BuildFailed", `kustomize build failed: accumulating resources from '${obj.spec.path}': no such directory`);
    }
    status.lastAppliedRevision = revision;
    markReady(obj as never, "ReconciliationSucceeded", `Applied revision: ${revision}`);
  },
  watches: [
    {
      ref: gitRepositoryRef,
      scoped: true,
      map: (ev, primary) =>
        primary
          .list(ev.object.metadata.namespace)
          .filter((k) => (k as unknown as { spec: Spec }).spec.sourceRef?.name === ev.object.metadata.name)
          .map((k) => `${k.metadata.namespace}/${k.metadata.name}`),
    },
  ],
};

/** Runs the stand-in controllers for one namespace until stopped. */
export async function startFakeControllers(namespace: string): Promise<{ stop: () => Promise<void> }> {
  const manager = new Manager({
    connection: fromKubeconfigFile(testKubeconfigPath()),
    name: "sluice-fake",
    namespace,
    concurrent: 2,
    qps: 0,
    log: createLogger("fatal"),
    backoff: { baseMs: 200, maxMs: 2_000 },
    shutdownTimeoutMs: 2_000,
  });
  manager.add(fakeGit);
  manager.add(fakeKustomize);
  await manager.start(() => undefined);
  return { stop: () => manager.stop() };
}
