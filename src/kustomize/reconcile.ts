import { rm } from "node:fs/promises";
import type { Kustomization } from "../api/kustomize/kustomization.ts";
import type { ChangeSetEntry } from "../runtime/apply/apply_set.ts";
import type { Informer } from "../runtime/cache/informer.ts";
import { ReconcileError, type ReconcileContext, type ReconcileResult } from "../runtime/controller/reconciler.ts";
import { markReady } from "../runtime/status/conditions.ts";
import { applyManifests } from "./apply.ts";
import { buildManifests, resolveBuildPath } from "./build.ts";
import { decrypt, decryptSources } from "./decrypt.ts";
import { checkDependencies } from "./dependencies.ts";
import { fetchArtifact, resolveSource } from "./fetch.ts";
import { checkHealth } from "./health.ts";
import { buildDigest, recordHistory } from "./history.ts";
import { inventoryOf, staleObjects } from "./inventory.ts";
import type { KustomizeDeps } from "./kustomize_deps.ts";
import { prune } from "./prune.ts";
import { sourceNotReady } from "./source_not_ready.ts";
import { compileSpecRules } from "./spec_rules.ts";
import { allowEmptyPruneAnnotation, ksReasons } from "./reasons.ts";
import { sopsAgeSecret } from "./sops_age_secret.ts";
import { substitute } from "./substitute.ts";
import { targetOf } from "./target_cluster.ts";
import { intervalOf, timeoutOf } from "./timing.ts";

/**
 * One reconcile of a Kustomization, step by step: source and dependencies, fetch, build, target
 * cluster (local, or remote with spec.kubeConfig), substitute, decrypt, apply, prune, health. Each
 * step throws a ReconcileError with Flux's reason; the runtime turns it into the Ready condition and
 * writes the status once.
 */
export async function reconcileKustomization(ks: Kustomization, ctx: ReconcileContext, deps: KustomizeDeps, self: Informer<Kustomization>): Promise<ReconcileResult> {
  const startedAt = new Date();
  const { celHealth, ignoredFields } = compileSpecRules(ks);
  const src = resolveSource(ks, ctx, deps);
  const revision = src.artifact.revision;
  checkDependencies(ks, src.artifact, self, deps.flags.requeueDependencyMs);
  const timeoutMs = timeoutOf(ks);

  const lease = await fetchArtifact(src, ctx, deps);
  let objects;
  let decrypted: Awaited<ReturnType<typeof decryptSources>>;
  try {
    await resolveBuildPath(lease.dir, ks.spec.path);
    ks.status = { ...ks.status, lastAttemptedRevision: revision };
    decrypted = await decryptSources(ks, lease.dir, ctx, deps.scratch, sopsAgeSecret(deps.flags));
    const root = decrypted?.dir ?? lease.dir;
    const dir = await resolveBuildPath(root, ks.spec.path);
    // Decrypted trees are this Kustomization's alone: never share their build.
    const digest = decrypted ? `${lease.digest}+${ks.metadata.namespace}/${ks.metadata.name}/${Date.now()}` : lease.digest;
    objects = await buildManifests(ks, root, digest, dir, deps, timeoutMs);
  } finally {
    lease.release();
    if (decrypted) await rm(decrypted.dir, { recursive: true, force: true });
  }
  // The local cluster, or the remote one of spec.kubeConfig (reached here: an unreachable one fails before any apply or prune).
  const target = await targetOf(ks, ctx, deps);
  await substitute(ks, objects, ctx, { strict: true });
  await decrypt(ks, objects, ctx, sopsAgeSecret(deps.flags), decrypted?.leftEncrypted);

  const oldInventory = ks.status?.inventory;
  if (ks.spec.prune && objects.length === 0 && (oldInventory?.entries.length ?? 0) > 0 && ks.metadata.annotations?.[allowEmptyPruneAnnotation] !== "true") {
    throw new ReconcileError(
      ksReasons.emptyBuild,
      `the build of revision ${revision} has no objects, which would prune all ${oldInventory!.entries.length} objects in the inventory; refused (annotate the Kustomization with ${allowEmptyPruneAnnotation}: "true" to allow it)`,
    );
  }

  // From here on each outcome is recorded in status.history against the build's digest.
  const origin = src.artifact.metadata?.["org.opencontainers.image.revision"];
  const digest = buildDigest(objects);
  const outcome = (status: string) => ({ digest, status, revision, originRevision: origin, startedAt, finishedAt: new Date() });
  try {
    const changeSet = await applyManifests(ks, objects, ctx, deps, target, ignoredFields);
    const inventory = inventoryOf(changeSet);
    ks.status = { ...ks.status, inventory };
    let pruned: ChangeSetEntry[] = [];
    if (ks.spec.prune) pruned = await prune(ks, staleObjects(oldInventory, inventory), ctx, target);
    report(revision, [...changeSet, ...pruned], ctx);

    await checkHealth(ks, changeSet, ctx, target, timeoutMs, celHealth);
  } catch (err) {
    recordHistory(ks, outcome(err instanceof ReconcileError ? err.reason : ksReasons.failed));
    throw err;
  }
  ks.status = { ...ks.status, lastAppliedRevision: revision };
  if (origin) ks.status.lastAppliedOriginRevision = origin;
  const notReady = sourceNotReady(src.source);
  const note = notReady ? `; source ${src.subject} is not ready (no newer revision until it is): ${notReady}` : "";
  markReady(ks, ksReasons.succeeded, `Applied revision: ${revision}${note}`);
  recordHistory(ks, outcome(ksReasons.succeeded));
  return { requeueAfterMs: intervalOf(ks) };
}

/**
 * An event with the change log, only when something changed (a no-op reconcile sends nothing).
 * Not waited for: events are best effort, and the health check need not wait behind one.
 */
function report(revision: string, entries: ChangeSetEntry[], ctx: ReconcileContext): void {
  const changed = entries.filter((e) => e.action === "created" || e.action === "configured" || e.action === "deleted");
  if (changed.length === 0) return;
  const lines = changed.map((e) => `${e.subject} ${e.action}`).join("\n");
  ctx.event("Normal", "Progressing", lines, { "kustomize.toolkit.fluxcd.io/revision": revision }).catch(() => undefined);
}
