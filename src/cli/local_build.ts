import { existsSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import type { Kustomization } from "../api/kustomize/kustomization.ts";
import type { KubeObject } from "../api/meta.ts";
import { ownerLabels } from "../kustomize/apply.ts";
import { buildManifests, resolveBuildPath } from "../kustomize/build.ts";
import { BuildCache } from "../kustomize/build_cache.ts";
import type { KustomizeDeps } from "../kustomize/kustomize_deps.ts";
import { substitute } from "../kustomize/substitute.ts";
import { timeoutOf } from "../kustomize/timing.ts";
import { type ReconcileContext, ReconcileError } from "../runtime/controller/reconciler.ts";
import { defaultControllerFlags } from "../runtime/controller_flags.ts";
import type { ObjectApi } from "../runtime/kube/objects.ts";
import { CliError } from "./cli_error.ts";
import { copyIgnoring } from "./ignored_copy.ts";

export interface LocalBuildOptions {
  kustomizeBinary: string;
  /** For postBuild.substituteFrom; without it (--dry-run) only inline variables are substituted. */
  api?: ObjectApi;
  /** The local tree standing for the artifact; default: the Git top-level of `path` (see localTreeRoot). */
  root?: string;
  /** gitignore patterns (--ignore-paths): matching files are left out, as spec.ignore leaves them out of an artifact. */
  ignorePaths?: string[];
  /** Fail on variables without a default that are not set (--strict-substitute); otherwise they become "". */
  strict?: boolean;
}

/**
 * Builds a local directory the way the kustomize controller builds spec.path of an artifact: the same
 * generated overlay, kustomize run and post-build substitution, then the labels the controller adds on
 * apply (commonMetadata and the owner labels). The artifact root is `opts.root`, by default the
 * enclosing Git work tree, so references outside `path` but inside the repository work as they do in
 * the controller. Nothing is written under `path`: the overlay is generated in a private scratch
 * directory, and with ignore patterns the tree is first copied there without the ignored files.
 */
export async function buildLocally(ks: Kustomization, path: string, opts: LocalBuildOptions): Promise<KubeObject[]> {
  const dir = resolve(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError(`--path ${path} is not a directory`);
  const tree = opts.root ? resolve(opts.root) : localTreeRoot(dir);
  if (relative(tree, dir).startsWith("..")) throw new CliError(`--path ${path} is outside the local tree ${tree} of ${ks.metadata.namespace}/${ks.metadata.name}'s source`);
  const work = await mkdtemp(join(tmpdir(), "sluice-build-"));
  let root = tree;
  if (opts.ignorePaths?.length) {
    root = join(work, "tree");
    await copyIgnoring(tree, root, opts.ignorePaths);
  }
  // Only the build cache and the remote-bases flag are used by the build step.
  const deps = {
    flags: defaultControllerFlags({ kustomizeBinary: opts.kustomizeBinary }),
    builds: new BuildCache({ root: join(work, "builds"), kustomizeBinary: opts.kustomizeBinary }),
  } as unknown as KustomizeDeps;
  const local: Kustomization = structuredClone(ks);
  local.spec.path = relative(tree, dir) || "./";
  try {
    const buildDir = await resolveBuildPath(root, local.spec.path);
    const objects = await buildManifests(local, root, `local:${Date.now()}`, buildDir, deps, timeoutOf(local));
    if (!opts.api && local.spec.postBuild?.substituteFrom?.length) local.spec.postBuild = { ...local.spec.postBuild, substituteFrom: [] };
    await substitute(local, objects, { api: opts.api } as ReconcileContext, { strict: opts.strict ?? false });
    return objects.map((o) => withAppliedLabels(local, o));
  } catch (err) {
    if (err instanceof ReconcileError) throw new CliError(`${err.reason}: ${err.message}`);
    throw err;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function withAppliedLabels(ks: Kustomization, obj: KubeObject): KubeObject {
  const common = ks.spec.commonMetadata;
  const labels = { ...obj.metadata.labels, ...common?.labels, ...ownerLabels(ks) };
  const annotations = common?.annotations ? { ...obj.metadata.annotations, ...common.annotations } : obj.metadata.annotations;
  return { ...obj, metadata: { ...obj.metadata, labels, ...(annotations ? { annotations } : {}) } };
}

/** The root of the local tree a directory is built in: the nearest enclosing directory with .git, else `dir` itself. */
export function localTreeRoot(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, ".git"))) return d;
    if (dirname(d) === d) return dir;
  }
}
