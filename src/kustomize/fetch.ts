import type { Kustomization } from "../api/kustomize/kustomization.ts";
import type { Artifact, KubeObject } from "../api/meta.ts";
import { type ArtifactLease, ArtifactError } from "../runtime/artifact/artifact_cache.ts";
import { ReconcileError, type ReconcileContext } from "../runtime/controller/reconciler.ts";
import { findCondition } from "../runtime/status/conditions.ts";
import type { KustomizeDeps } from "./kustomize_deps.ts";
import { ksReasons } from "./reasons.ts";
import { sourceResourceRef } from "./source_refs.ts";

export interface SourceWithArtifact {
  source: KubeObject;
  artifact: Artifact;
  /** Kind/namespace/name of the source, for messages. */
  subject: string;
}

/**
 * Finds the Kustomization's source in the watch cache. A missing source, a refused cross-namespace
 * reference or a source without an artifact fail with Flux's reasons; the last two wait for the
 * source's watch (and retry after --requeue-dependency as a fallback).
 */
export function resolveSource(ks: Kustomization, ctx: ReconcileContext, deps: KustomizeDeps): SourceWithArtifact {
  const ref = ks.spec.sourceRef;
  const namespace = ref.namespace ?? ks.metadata.namespace!;
  const subject = `${ref.kind}/${namespace}/${ref.name}`;
  if (deps.flags.noCrossNamespaceRefs && namespace !== ks.metadata.namespace) {
    throw new ReconcileError(ksReasons.accessDenied, `cannot access ${subject}: cross-namespace references are not allowed (--no-cross-namespace-refs)`, { stalled: true });
  }
  const resource = sourceResourceRef(ref.kind);
  if (!resource) throw new ReconcileError(ksReasons.artifactFailed, `spec.sourceRef.kind ${ref.kind} is not a supported source kind`, { stalled: true });
  const source = ctx.cache.informer(resource, { scoped: true }).get(namespace, ref.name);
  if (!source) {
    throw new ReconcileError(ksReasons.artifactFailed, `Source '${subject}' not found`, { retryAfterMs: deps.flags.requeueDependencyMs });
  }
  const artifact = (source as { status?: { artifact?: Artifact } }).status?.artifact;
  if (!artifact) {
    const ready = findCondition(source as never, "Ready");
    const why = ready?.status === "False" ? ` (source is not ready: ${ready.message})` : "";
    throw new ReconcileError(ksReasons.artifactFailed, `Source artifact not found, retrying in ${Math.round(deps.flags.requeueDependencyMs / 1000)}s${why}`, {
      retryAfterMs: deps.flags.requeueDependencyMs,
    });
  }
  return { source, artifact, subject };
}

/** Downloads (or reuses) the extracted artifact; failures name the source and what went wrong. */
export async function fetchArtifact(src: SourceWithArtifact, ctx: ReconcileContext, deps: KustomizeDeps): Promise<ArtifactLease> {
  try {
    return await deps.artifacts.acquire(src.artifact, ctx.signal);
  } catch (err) {
    if (err instanceof ArtifactError) {
      const retryAfterMs = err.failure === "NotFound" ? deps.flags.requeueDependencyMs : undefined;
      const prefix = err.failure === "NotFound" ? "Source is not ready, artifact not found" : `failed to fetch artifact of ${src.subject}`;
      throw new ReconcileError(ksReasons.artifactFailed, `${prefix}: ${err.message}`, { retryAfterMs });
    }
    throw err;
  }
}
