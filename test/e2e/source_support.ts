import { gunzipSync } from "node:zlib";
/** Shared set-up for the source controller's end-to-end tests: a namespace, the controller, Git servers. */
import { createHash } from "node:crypto";
import type { TestContext } from "node:test";
import { request } from "undici";
import type { Condition } from "../../src/api/meta.ts";
import { type GitRepository, type GitRepositorySpec, gitRepositoryKind } from "../../src/api/source/git_repository.ts";
import type { ControllerFlags } from "../../src/runtime/controller_flags.ts";
import { ObjectApi } from "../../src/runtime/kube/objects.ts";
import type { ResourceRef } from "../../src/runtime/kube/resource_ref.ts";
import { findCondition } from "../../src/runtime/status/conditions.ts";
import { freshNamespace } from "../support/cluster.ts";
import { GitFixtures, type GitHttpServer, type GitHttpServerOptions, startGitHttpServer } from "../support/git_server.ts";
import { eventually } from "../support/test_crd.ts";
import { startTestManager, type TestManager } from "../support/test_manager.ts";

export const gitRepositoryRef: ResourceRef = {
  group: gitRepositoryKind.group,
  version: gitRepositoryKind.version,
  resource: gitRepositoryKind.plural,
  kind: gitRepositoryKind.kind,
  namespaced: true,
};
export const secretRef: ResourceRef = { group: "", version: "v1", resource: "secrets", kind: "Secret", namespaced: true };
const eventRef: ResourceRef = { group: "", version: "v1", resource: "events", kind: "Event", namespaced: true };

export interface SourceEnv {
  ns: string;
  api: ObjectApi;
  tm: TestManager;
  git: GitFixtures;
  http: GitHttpServer;
}

/** A namespace with the source controller watching it and a git HTTP server; all stopped after the test. */
export async function sourceEnv(
  t: TestContext,
  opts: { http?: GitHttpServerOptions; flags?: Partial<ControllerFlags> } = {},
): Promise<SourceEnv> {
  const ns = await freshNamespace("source", t);
  const git = await GitFixtures.create();
  const http = await startGitHttpServer(git.root, opts.http);
  const tm = await startTestManager(ns, ["source"], { flags: opts.flags });
  t.after(async () => {
    // Drop finalizers so the namespace can go even though the controller is gone.
    const left = await tm.manager.api.list<GitRepository>(gitRepositoryRef, ns).catch(() => ({ items: [] as GitRepository[] }));
    await tm.stop();
    for (const r of left.items) {
      await tm.manager.api.mergePatch(gitRepositoryRef, ns, r.metadata.name!, { metadata: { finalizers: null } }).catch(() => undefined);
    }
    await http.stop();
    await git.cleanup();
  });
  return { ns, api: tm.manager.api, tm, git, http };
}

export function createGitRepository(api: ObjectApi, ns: string, name: string, spec: Partial<GitRepositorySpec> & { url: string }): Promise<GitRepository> {
  return api.create<GitRepository>(gitRepositoryRef, {
    apiVersion: "source.toolkit.fluxcd.io/v1",
    kind: "GitRepository",
    metadata: { name, namespace: ns },
    spec: { interval: "10m", ...spec },
  });
}

export function createSecret(api: ObjectApi, ns: string, name: string, stringData: Record<string, string>): Promise<unknown> {
  return api.create(secretRef, { apiVersion: "v1", kind: "Secret", metadata: { name, namespace: ns }, stringData });
}

export function getGitRepository(api: ObjectApi, ns: string, name: string): Promise<GitRepository> {
  return api.get<GitRepository>(gitRepositoryRef, ns, name);
}

export function condition(repo: GitRepository, type: string): Condition | undefined {
  return findCondition(repo as never, type);
}

/** Waits until the GitRepository satisfies `ok`; the timeout message shows its last conditions. */
export async function waitForRepo(api: ObjectApi, ns: string, name: string, what: string, ok: (r: GitRepository) => boolean, timeoutMs = 30_000): Promise<GitRepository> {
  let last: GitRepository | undefined;
  try {
    return await eventually(what, async () => {
      last = await getGitRepository(api, ns, name);
      return ok(last) ? last : undefined;
    }, timeoutMs);
  } catch (err) {
    throw new Error(`${(err as Error).message}; last conditions: ${JSON.stringify(last?.status?.conditions ?? [], null, 1)}`);
  }
}

export const isReady = (r: GitRepository) => condition(r, "Ready")?.status === "True" && r.status?.observedGeneration === r.metadata.generation;

/** Ready=False with the given reason on Ready (and on `type`, when given). */
export function failedWith(reason: string, type?: string, status: "True" | "False" = "True") {
  return (r: GitRepository) => {
    const ready = condition(r, "Ready");
    if (ready?.status !== "False" || ready.reason !== reason) return false;
    if (!type) return true;
    const c = condition(r, type);
    return c?.status === status && c.reason === reason;
  };
}

/** Downloads the artifact and returns its sha256 digest and bytes. */
export async function download(url: string): Promise<{ digest: string; body: Buffer; status: number }> {
  const res = await request(url);
  const body = Buffer.from(await res.body.arrayBuffer());
  return { digest: `sha256:${createHash("sha256").update(body).digest("hex")}`, body, status: res.statusCode };
}

/** Events recorded for the object. */
export async function eventsFor(api: ObjectApi, ns: string, name: string): Promise<Array<{ reason: string; message: string; type: string; metadata: { annotations?: Record<string, string> } }>> {
  const list = await api.list<{ reason: string; message: string; type: string; metadata: { annotations?: Record<string, string> }; involvedObject: { name: string } }>(eventRef, ns);
  return list.items.filter((e) => e.involvedObject.name === name);
}

/** Sets reconcile.fluxcd.io/requestedAt to now. */
export async function requestReconcile(api: ObjectApi, ns: string, name: string): Promise<string> {
  const at = new Date().toISOString();
  await api.mergePatch(gitRepositoryRef, ns, name, { metadata: { annotations: { "reconcile.fluxcd.io/requestedAt": at } } });
  return at;
}

/** File names in a tar.gz (enough of a tar reader for tests: ustar names only). */
export function tarNames(gz: Buffer): string[] {
  const tar = gunzipSync(gz);
  const names: string[] = [];
  for (let off = 0; off + 512 <= tar.length; ) {
    const name = tar.subarray(off, off + 100).toString().replace(/\0.*$/s, "");
    if (!name) break;
    const size = Number.parseInt(tar.subarray(off + 124, off + 136).toString().replace(/\0.*$/s, "").trim() || "0", 8);
    names.push(name);
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return names;
}
