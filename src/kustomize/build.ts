import { createHash } from "node:crypto";
import { realpath, stat } from "node:fs/promises";
import { isAbsolute, join, relative } from "node:path";
import type { Kustomization } from "../api/kustomize/kustomization.ts";
import type { KubeObject } from "../api/meta.ts";
import { inside } from "../runtime/artifact/extract_archive.ts";
import { ReconcileError } from "../runtime/controller/reconciler.ts";
import { KustomizeError } from "./build_cache.ts";
import { checkLocalReferences, ReferenceError } from "./check_local_references.ts";
import { GenerateError, generateOverlay, overlaySpecOf } from "./generate_overlay.ts";
import type { KustomizeDeps } from "./kustomize_deps.ts";
import { ksReasons } from "./reasons.ts";

/** The folder spec.path names inside the artifact; refuses paths that leave it. */
export async function resolveBuildPath(root: string, path: string | undefined): Promise<string> {
  const p = path ?? "";
  const dir = join(root, isAbsolute(p) ? `.${p}` : p);
  if (!inside(root, dir)) throw new ReconcileError(ksReasons.artifactFailed, `spec.path ${JSON.stringify(p)} points outside the artifact`, { stalled: true });
  const real = await realpath(dir).catch(() => undefined);
  if (!real || !(await stat(real)).isDirectory()) {
    throw new ReconcileError(ksReasons.artifactFailed, `kustomization path not found: ${JSON.stringify(p)} is not a directory in the artifact`);
  }
  if (!inside(await realpath(root), real)) throw new ReconcileError(ksReasons.artifactFailed, `spec.path ${JSON.stringify(p)} resolves outside the artifact through a symlink`);
  return dir;
}

/**
 * Builds the manifests at `dir` of the artifact extracted at `root`: checks that every local
 * reference stays inside the artifact, generates the overlay with the spec's kustomize fields,
 * runs kustomize (once per distinct input across the fleet) and returns the objects.
 */
export async function buildManifests(ks: Kustomization, root: string, digest: string, dir: string, deps: KustomizeDeps, timeoutMs: number): Promise<KubeObject[]> {
  const spec = overlaySpecOf(ks.spec);
  const key = createHash("sha256")
    .update(JSON.stringify({ digest, path: relative(root, dir), spec, noRemoteBases: deps.flags.noRemoteBases }))
    .digest("hex")
    .slice(0, 32);
  try {
    return await deps.builds.build(
      key,
      async (overlayDir) => {
        await checkLocalReferences(root, dir, deps.flags.noRemoteBases);
        return generateOverlay(root, dir, overlayDir, spec);
      },
      timeoutMs,
    );
  } catch (err) {
    if (err instanceof ReferenceError || err instanceof GenerateError || err instanceof KustomizeError) {
      const message = err.message.replaceAll(`${root}/`, "").replaceAll(root, ".");
      throw new ReconcileError(ksReasons.buildFailed, `kustomize build failed: ${message}`);
    }
    throw err;
  }
}
