import type { KubeObject } from "../../api/meta.ts";
import { type GitRepository, gitRepositoryKind } from "../../api/source/git_repository.ts";
import type { Informer } from "../../runtime/cache/informer.ts";
import type { Reconciler } from "../../runtime/controller/reconciler.ts";
import { objectKey, refOfKind, secretsRef } from "../../runtime/kube/resource_ref.ts";
import { finalizeGitRepository } from "./finalize.ts";
import type { GitRepositoryDeps } from "./git_repository_deps.ts";
import { reconcileGitRepository } from "./reconcile.ts";

/** The finalizer of source objects: their artifacts are removed from storage before they go. */
export const sourceFinalizer = "finalizers.fluxcd.io";

const bySecret = "secret";
const byInclude = "include";

/**
 * The GitRepository controller: reconcile (see reconcileGitRepository) and finalize, plus the
 * watches that make it fast — a change to an auth, proxy or verification Secret wakes the
 * GitRepositories that use it, and a new artifact of an included GitRepository wakes those that include it.
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
        ref: secretsRef,
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
    finalize: (obj) => finalizeGitRepository(obj, deps),
  };
}

function keysOf(objs: KubeObject[]): string[] {
  return objs.map((o) => objectKey(o.metadata.namespace, o.metadata.name!));
}
