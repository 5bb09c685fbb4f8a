import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDuration } from "../../api/duration.ts";
import type { Artifact, KubeObject } from "../../api/meta.ts";
import { type GitRepository, gitRepositoryKind } from "../../api/source/git_repository.ts";
import { PackArchiveError, packArchive } from "../../runtime/artifact/pack_archive.ts";
import type { Informer } from "../../runtime/cache/informer.ts";
import type { ControllerFlags } from "../../runtime/controller_flags.ts";
import type { ReconcileContext, Reconciler, ReconcileResult } from "../../runtime/controller/reconciler.ts";
import { objectKey, refOfKind, type ResourceRef } from "../../runtime/kube/resource_ref.ts";
import {
  findCondition,
  markReady,
  markReconciling,
  removeCondition,
  setCondition,
} from "../../runtime/status/conditions.ts";
import { type GitAuth, GitAuthError, gitAuthFromSecret, type SecretData } from "../git/git_auth.ts";
import { describeGitFailure } from "../git/git_failure.ts";
import { GitSession } from "../git/git_session.ts";
import { gitHubAppFromSecret, GitHubAppTokenError, type GitHubAppTokens, hasGitHubAppData } from "../git/github_app.ts";
import { InvalidRefError, RefNotFoundError, type RemoteRef, revisionOf } from "../git/remote_ref.ts";
import { redact } from "../git/redact.ts";
import { GitCommandError } from "../git/run_git.ts";
import { SemverRangeError } from "../git/semver_tag.ts";
import { SignatureError, trustedKeysFromSecret, verifySignature } from "../git/verify_signature.ts";
import { loadSourceIgnore } from "../ignore/source_ignore.ts";
import type { ArtifactServer } from "../storage/artifact_server.ts";
import type { ArtifactStorage } from "../storage/artifact_storage.ts";
import { contentConfigChanged } from "./content_config.ts";
import { checkIncludePaths, copyIncludes, IncludeCopyError, IncludeUnavailableError, resolveIncludes } from "./includes.ts";
import { clearFailures, hasFailures, sourceConditions as c, sourceFailure } from "./source_conditions.ts";

export const secretRef: ResourceRef = { group: "", version: "v1", resource: "secrets", kind: "Secret", namespaced: true };
export const sourceFinalizer = "finalizers.fluxcd.io";

export interface GitRepositoryDeps {
  storage: ArtifactStorage;
  server: ArtifactServer;
  flags: ControllerFlags;
  /** Installation tokens for spec.provider: github. */
  githubTokens: GitHubAppTokens;
}

const bySecret = "secret";
const byInclude = "include";

/**
 * The GitRepository reconciler, in Flux's order: storage (verify, GC, URL) → source (Secret,
 * ls-remote; a ref that has not moved ends here) → checkout → verify → include → artifact.
 */
export function gitRepositoryReconciler(deps: GitRepositoryDeps): Reconciler<GitRepository> {
  let repos: Informer<GitRepository> | undefined;
  return {
    name: "gitrepository",
    kind: gitRepositoryKind,
    finalizer: sourceFinalizer,
    indexes: {
      [bySecret]: (o) =>
        [o.spec.secretRef?.name, o.spec.proxySecretRef?.name, o.spec.verify?.secretRef.name]
          .filter((n): n is string => !!n)
          .map((n) => objectKey(o.metadata.namespace, n)),
      [byInclude]: (o) => (o.spec.include ?? []).map((i) => objectKey(o.metadata.namespace, i.repository.name)),
    },
    onInformer: (informer) => {
      repos = informer;
    },
    watches: [
      {
        ref: secretRef,
        scoped: "namespace",
        map: (ev, primary) => keysOf(primary.byIndex(bySecret, objectKey(ev.object.metadata.namespace, ev.object.metadata.name!))),
      },
      {
        // Included repositories: re-package as soon as their artifact changes (Flux waits for the interval).
        ref: refOfKind(gitRepositoryKind),
        scoped: true,
        map: (ev, primary) => {
          const before = (ev.old as GitRepository | undefined)?.status?.artifact;
          const after = (ev.object as GitRepository).status?.artifact;
          if (ev.type === "update" && before?.digest === after?.digest && before?.revision === after?.revision) return [];
          return keysOf(primary.byIndex(byInclude, objectKey(ev.object.metadata.namespace, ev.object.metadata.name!)));
        },
      },
    ],
    reconcile: (obj, ctx) => reconcileGitRepository(obj, ctx, deps, repos!),
    finalize: async (obj) => {
      const dir = deps.storage.dirOf(gitRepositoryKind.kind, obj.metadata.namespace!, obj.metadata.name!);
      await deps.storage.withLock(dir, () => deps.storage.removeAll(dir));
    },
  };
}

function keysOf(objs: KubeObject[]): string[] {
  return objs.map((o) => objectKey(o.metadata.namespace, o.metadata.name!));
}

async function reconcileGitRepository(
  obj: GitRepository,
  ctx: ReconcileContext,
  deps: GitRepositoryDeps,
  repos: Informer<GitRepository>,
): Promise<ReconcileResult> {
  const { storage } = deps;
  const ns = obj.metadata.namespace!;
  const dir = storage.dirOf(gitRepositoryKind.kind, ns, obj.metadata.name!);
  const status = (obj.status ??= {});
  const interval = parseDuration(obj.spec.interval);
  // For the recovery event: was the last run a failure?
  const failedBefore = hasFailures(obj) || findCondition(obj, "Ready")?.status === "False";

  // A failed verification is retried from scratch; a removed spec.verify drops its status.
  if (findCondition(obj, c.sourceVerified)?.status === "False" || !obj.spec.verify) removeCondition(obj, c.sourceVerified);
  if (!obj.spec.verify) delete status.sourceVerificationMode;
  const ready = findCondition(obj, "Ready");
  if (!ready) markReconciling(obj, "reconciliation in progress");
  else if (ready.observedGeneration !== obj.metadata.generation) {
    markReconciling(obj, `processing object: new generation ${ready.observedGeneration ?? 0} -> ${obj.metadata.generation}`);
  }

  return storage.withLock(dir, async () => {
    // Storage: the recorded artifact must still be there, whole; its URL follows the advertised address.
    let inStorage = false;
    if (status.artifact) {
      inStorage = await storage.verify(status.artifact.path, status.artifact.digest).catch(() => false);
      if (inStorage) {
        status.artifact.url = deps.server.urlOf(status.artifact.path);
        await storage.gc(dir, [status.artifact.path]).catch(() => undefined);
      } else {
        if (await storage.exists(status.artifact.path).catch(() => false)) {
          await storage.remove(status.artifact.path);
          await ctx.event("Warning", "ArtifactVerificationFailed", `stored artifact '${status.artifact.path}' does not match digest ${status.artifact.digest}; rebuilding`);
        }
        delete status.artifact;
        removeCondition(obj, c.artifactInStorage);
        markReconciling(obj, "building artifact: disappeared from storage");
      }
    }

    // Source: credentials (a GitHub App token may need an API call), include paths and includes.
    const timeoutMs = parseDuration(obj.spec.timeout ?? "60s");
    const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(timeoutMs)]);
    const auth = await readAuth(obj, ctx, deps, signal);
    try {
      checkIncludePaths(obj.spec.include ?? []);
    } catch (err) {
      const e = err as IncludeCopyError;
      throw sourceFailure(obj, c.storageOperationFailed, e.reason, e.message, { stalled: true });
    }
    let includes: Artifact[];
    try {
      includes = resolveIncludes(obj, repos);
      removeCondition(obj, c.includeUnavailable);
    } catch (err) {
      if (!(err instanceof IncludeUnavailableError)) throw err;
      throw sourceFailure(obj, c.includeUnavailable, err.reason, err.message, { retryAfterMs: deps.flags.requeueDependencyMs });
    }

    const session = await GitSession.open(obj.spec.url, auth, signal, { kex: deps.flags.sshKexAlgos, hostKey: deps.flags.sshHostKeyAlgos });
    const tmp = await mkdtemp(join(tmpdir(), "sluice-gitrepo-"));
    try {
      let remote: RemoteRef;
      try {
        remote = await session.resolve(obj.spec.ref);
      } catch (err) {
        throw fetchFailure(obj, err, session.url, ctx.signal.aborted ? undefined : obj.spec.timeout ?? "60s");
      }
      const revision = revisionOf(remote);
      const previous = status.artifact;
      if (inStorage && previous?.revision === revision && !contentConfigChanged(obj, includes)) {
        // Nothing moved: one ref listing, no clone.
        removeCondition(obj, c.fetchFailed);
        removeCondition(obj, c.artifactOutdated);
        const message = `stored artifact for revision '${revision}'`;
        clearFailures(obj);
        setCondition(obj, c.artifactInStorage, "True", "Succeeded", message);
        markReady(obj, "Succeeded", message);
        if (failedBefore) await ctx.event("Normal", "Succeeded", message, { revision, digest: previous.digest });
        return { requeueAfterMs: interval };
      }
      if (previous && previous.revision !== revision) {
        setCondition(obj, c.artifactOutdated, "True", "NewRevision", `new upstream revision '${revision}'`);
        markReconciling(obj, `building artifact: new upstream revision '${revision}'`);
      } else if (previous && status.includedArtifacts && JSON.stringify(status.includedArtifacts.map(pin)) !== JSON.stringify(includes.map(pin))) {
        setCondition(obj, c.artifactOutdated, "True", "IncludeChange", "included artifacts differ from last observed includes");
        markReconciling(obj, "building artifact");
      } else if (!previous) {
        markReconciling(obj, "building artifact");
      }

      // Checkout: a shallow fetch into a temp dir.
      const mode = verifyMode(obj);
      const src = join(tmp, "src");
      let checkedOut: Awaited<ReturnType<GitSession["checkout"]>>;
      try {
        checkedOut = await session.checkout(remote, src, {
          keepTag: mode === "Tag" || mode === "TagAndHEAD",
          sparseCheckout: obj.spec.sparseCheckout,
          recurseSubmodules: obj.spec.recurseSubmodules,
          maxBytes: deps.flags.gitMaxCloneBytes,
        });
      } catch (err) {
        throw fetchFailure(obj, err, session.url, ctx.signal.aborted ? undefined : obj.spec.timeout ?? "60s");
      }
      removeCondition(obj, c.fetchFailed);
      removeCondition(obj, c.storageOperationFailed);
      const fetched = { ...remote, commit: checkedOut.commit };
      const newRevision = revisionOf(fetched);

      if (mode) await verify(obj, ctx, session, src, fetched, mode);

      try {
        await copyIncludes(obj.spec.include ?? [], includes, storage, src);
      } catch (err) {
        if (err instanceof IncludeCopyError) throw sourceFailure(obj, c.storageOperationFailed, err.reason, err.message);
        throw err;
      }

      // Artifact: package, store atomically, record.
      const path = `${dir}/${checkedOut.commit}.tar.gz`;
      let packed: Awaited<ReturnType<typeof packArchive>>;
      let size: number;
      try {
        const ignore = await loadSourceIgnore(src, obj.spec.ignore);
        const written = await storage.write(path, (out) =>
          packArchive(src, out, {
            ignore,
            maxBytes: deps.flags.artifactMaxBytes,
            maxInputBytes: deps.flags.gitMaxCloneBytes,
            digestAlgorithm: deps.flags.artifactDigestAlgo,
          }),
        );
        packed = written.result;
        size = written.size;
      } catch (err) {
        if (err instanceof PackArchiveError) {
          const reason = err.code === "SymlinkOutsideRoot" ? "IllegalPath" : "ArchiveOperationFailed";
          throw sourceFailure(obj, c.storageOperationFailed, reason, `unable to archive revision '${newRevision}': ${err.message}`, { stalled: false });
        }
        throw sourceFailure(obj, c.storageOperationFailed, "ArchiveOperationFailed", `unable to archive revision '${newRevision}': ${(err as Error).message}`);
      }
      const artifact: Artifact = {
        digest: packed.digest,
        lastUpdateTime: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
        path,
        revision: newRevision,
        size,
        url: deps.server.urlOf(path),
      };
      const changed = previous?.digest !== artifact.digest || previous?.revision !== artifact.revision;
      status.artifact = changed ? artifact : { ...artifact, lastUpdateTime: previous!.lastUpdateTime };
      recordObserved(obj, includes);
      const message = `stored artifact for revision '${newRevision}'`;
      clearFailures(obj);
      setCondition(obj, c.artifactInStorage, "True", "Succeeded", message);
      markReady(obj, "Succeeded", message);
      await storage.gc(dir, [path]).catch(() => undefined);
      const meta = { revision: artifact.revision, digest: artifact.digest };
      if (changed) await ctx.event("Normal", "NewArtifact", `stored artifact for commit '${subjectOf(checkedOut.subject)}'`, meta);
      else if (failedBefore) await ctx.event("Normal", "Succeeded", message, meta);
      return { requeueAfterMs: interval };
    } finally {
      await session.close();
      await rm(tmp, { recursive: true, force: true });
    }
  });
}

function pin(a: Artifact): string {
  return `${a.revision}|${a.digest}`;
}

function subjectOf(subject: string): string {
  return subject.length > 50 ? `${subject.slice(0, 50)}...` : subject;
}

function recordObserved(obj: GitRepository, includes: Artifact[]): void {
  const status = obj.status!;
  const spec = obj.spec;
  setOrDelete(status, "observedIgnore", spec.ignore);
  setOrDelete(status, "observedRecurseSubmodules", spec.recurseSubmodules || undefined);
  setOrDelete(status, "observedSparseCheckout", spec.sparseCheckout?.length ? spec.sparseCheckout : undefined);
  setOrDelete(status, "observedInclude", spec.include?.length ? spec.include : undefined);
  setOrDelete(status, "includedArtifacts", includes.length ? includes : undefined);
}

function setOrDelete<T extends object, K extends keyof T>(o: T, k: K, v: T[K] | undefined): void {
  if (v === undefined) delete o[k];
  else o[k] = v;
}

function verifyMode(obj: GitRepository): "HEAD" | "Tag" | "TagAndHEAD" | undefined {
  const m = obj.spec.verify?.mode;
  if (!obj.spec.verify) return undefined;
  return m === "Tag" || m === "TagAndHEAD" ? m : "HEAD";
}

function readSecret(obj: GitRepository, ctx: ReconcileContext, name: string): SecretData | undefined {
  const ns = obj.metadata.namespace!;
  const secret = ctx.cache.informer(secretRef, { scoped: "namespace" }).get(ns, name) as
    | (KubeObject & { data?: Record<string, string>; stringData?: Record<string, string> })
    | undefined;
  if (!secret) return undefined;
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(secret.data ?? {})) data[k] = Buffer.from(v, "base64").toString("utf8");
  return { ref: `${ns}/${name}`, data };
}

async function readAuth(obj: GitRepository, ctx: ReconcileContext, deps: GitRepositoryDeps, signal: AbortSignal): Promise<GitAuth> {
  const ns = obj.metadata.namespace!;
  if (obj.spec.serviceAccountName) {
    throw sourceFailure(obj, c.fetchFailed, "FeatureGateDisabled", "to use spec.serviceAccountName for provider authentication please enable the ObjectLevelWorkloadIdentity feature gate in the controller", { stalled: true });
  }
  const provider = obj.spec.provider ?? "generic";
  const invalidProvider = (message: string, stalled: boolean) => sourceFailure(obj, c.fetchFailed, "InvalidProviderConfiguration", message, { stalled });
  if (provider === "azure") {
    throw invalidProvider("spec.provider 'azure' authenticates with Azure workload identity, which Sluice does not support yet; use provider 'generic' with a secretRef (e.g. a personal access token as 'password')", true);
  }
  if (provider !== "generic" && provider !== "github") {
    throw invalidProvider(`spec.provider '${provider}' is not supported by Sluice yet; use 'generic' with a secretRef`, true);
  }
  const get = (name: string | undefined, what: string) => {
    if (!name) return undefined;
    const s = readSecret(obj, ctx, name);
    if (!s) throw sourceFailure(obj, c.fetchFailed, "AuthenticationFailed", `failed to get ${what} Secret '${ns}/${name}': not found`);
    return s;
  };
  let url: URL;
  try {
    url = new URL(obj.spec.url);
  } catch {
    throw sourceFailure(obj, c.fetchFailed, "URLInvalid", `spec.url '${redact(obj.spec.url, [])}' is not a valid URL`, { stalled: true });
  }
  if (provider === "github") {
    if (!obj.spec.secretRef) throw invalidProvider("secretRef with github app data must be specified when provider is set to github", true);
    if (url.protocol === "ssh:") throw invalidProvider("spec.provider 'github' authenticates over HTTPS only; spec.url is an ssh:// URL", true);
  }
  const secret = get(obj.spec.secretRef?.name, "auth");
  const proxy = get(obj.spec.proxySecretRef?.name, "proxy");
  try {
    const auth = gitAuthFromSecret(url, provider === "github" ? undefined : secret, proxy);
    if (provider !== "github") return auth;
    if (!hasGitHubAppData(secret!)) {
      throw invalidProvider(`Secret '${secret!.ref}' has no github app data (githubAppID, githubAppInstallationID or githubAppInstallationOwner, githubAppPrivateKey), which provider 'github' needs`, false);
    }
    const app = gitHubAppFromSecret(secret!, auth.proxy);
    const token = await deps.githubTokens.token(app, signal);
    return { ...auth, username: "x-access-token", password: token, caCert: app.caCert, tlsCert: app.tlsCert, tlsKey: app.tlsKey };
  } catch (err) {
    if (err instanceof GitAuthError) throw sourceFailure(obj, c.fetchFailed, err.reason, err.message);
    if (err instanceof GitHubAppTokenError || (signal.aborted && !ctx.signal.aborted)) {
      const why = signal.aborted && !ctx.signal.aborted ? `the GitHub API did not answer within spec.timeout (${obj.spec.timeout ?? "60s"})` : (err as Error).message;
      throw sourceFailure(obj, c.fetchFailed, "AuthenticationFailed", `failed to configure authentication options: ${why}`);
    }
    throw err;
  }
}

function fetchFailure(obj: GitRepository, err: unknown, url: string, timeout?: string) {
  if (err instanceof InvalidRefError || err instanceof SemverRangeError) {
    return sourceFailure(obj, c.fetchFailed, "GitOperationFailed", `failed to checkout and determine revision: ${err.message}`, { stalled: true });
  }
  const timedOut = err instanceof GitCommandError && err.aborted && timeout !== undefined;
  const detail = timedOut
    ? `'${url}' did not answer within spec.timeout (${timeout})`
    : err instanceof RefNotFoundError
      ? err.message
      : describeGitFailure(err, url);
  return sourceFailure(obj, c.fetchFailed, "GitOperationFailed", `failed to checkout and determine revision: ${detail}`);
}

async function verify(
  obj: GitRepository,
  ctx: ReconcileContext,
  session: GitSession,
  src: string,
  fetched: RemoteRef,
  mode: "HEAD" | "Tag" | "TagAndHEAD",
): Promise<void> {
  const ns = obj.metadata.namespace!;
  const name = obj.spec.verify!.secretRef.name;
  if (mode !== "HEAD" && !fetched.tag) {
    throw sourceFailure(obj, c.sourceVerified, "InvalidVerificationMode", `cannot verify tag: spec.verify.mode is '${mode}' but the ref is not a tag (use ref.tag, ref.semver or a refs/tags/ name)`, { stalled: true });
  }
  const secret = readSecret(obj, ctx, name);
  if (!secret) throw sourceFailure(obj, c.sourceVerified, "VerificationError", `failed to get verification Secret '${ns}/${name}': not found`);
  const keys = trustedKeysFromSecret(secret.data);
  const lines: string[] = [];
  try {
    if (mode !== "HEAD") {
      const id = await verifySignature(session, src, { tag: fetched.tag! }, keys);
      lines.push(`tag '${fetched.tag}@sha1:${fetched.commit}' with key '${id}'`);
    }
    if (mode !== "Tag") {
      const id = await verifySignature(session, src, { commit: true }, keys);
      lines.push(`commit '${fetched.commit}' with key '${id}'`);
    }
  } catch (err) {
    if (err instanceof SignatureError) throw sourceFailure(obj, c.sourceVerified, err.reason, err.message);
    throw sourceFailure(obj, c.sourceVerified, "VerificationError", `signature verification failed: ${(err as Error).message}`);
  }
  setCondition(obj, c.sourceVerified, "True", "Succeeded", `verified signature of\n\t- ${lines.join("\n\t- ")}`);
  obj.status!.sourceVerificationMode = mode;
}
