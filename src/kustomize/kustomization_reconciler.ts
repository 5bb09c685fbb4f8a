import { type Kustomization, kustomizationKind } from "../api/kustomize/kustomization.ts";
import type { Artifact, KubeObject } from "../api/meta.ts";
import type { Informer } from "../runtime/cache/informer.ts";
import type { Reconciler, RelatedWatch } from "../runtime/controller/reconciler.ts";
import { findCondition } from "../runtime/status/conditions.ts";
import { configRefKeys } from "./config_refs.ts";
import { byConfigRef, configWatches } from "./config_watches.ts";
import { dependencyKeys } from "./dependencies.ts";
import { finalizeKustomization } from "./finalize.ts";
import type { KustomizeDeps } from "./kustomize_deps.ts";
import { finalizerName } from "./reasons.ts";
import { reconcileKustomization } from "./reconcile.ts";
import { sourceNotReady } from "./source_not_ready.ts";
import { sourceKey, sourceKinds, sourceResourceRef } from "./source_refs.ts";
import { sopsAgeSecret } from "./sops_age_secret.ts";
import { releaseOnDelete } from "./target_cluster.ts";
import { retryIntervalOf } from "./timing.ts";
import { refOfKind } from "../runtime/kube/resource_ref.ts";

const bySource = "sourceRef";
const byDependency = "dependsOn";

/**
 * The Kustomization controller: reconcile and finalize, plus the watches that make it fast —
 * a new source artifact wakes every Kustomization of that source at once, a Kustomization
 * turning Ready wakes the ones that depend on it, and a change to the data of a Secret or
 * ConfigMap wakes the Kustomizations that reference it (the --sops-age-secret Secret: all that decrypt).
 */
export function kustomizationReconciler(deps: KustomizeDeps): Reconciler<Kustomization> {
  let self: Informer<Kustomization> | undefined;
  const fallbackAge = sopsAgeSecret(deps.flags);
  const sourceWatches: RelatedWatch[] = sourceKinds.map((k) => ({
    ref: sourceResourceRef(k.kind)!,
    scoped: true,
    map: (ev, primary) => {
      if (ev.type === "delete") return [];
      const artifact = (o?: KubeObject) => (o as { status?: { artifact?: Artifact } } | undefined)?.status?.artifact;
      const now = artifact(ev.object);
      const before = artifact(ev.old);
      const newArtifact = now !== undefined && (ev.type === "add" || before?.revision !== now.revision || before?.digest !== now.digest);
      // Same artifact, served elsewhere (the source controller restarted on a new address).
      const moved = now !== undefined && before !== undefined && before.url !== now.url;
      // The source started or stopped failing: the Ready message says why no newer revision comes.
      const readiness = ev.type === "update" && sourceNotReady(ev.old) !== sourceNotReady(ev.object);
      if (!newArtifact && !moved && !readiness) return [];
      const key = `${k.kind}/${ev.object.metadata.namespace}/${ev.object.metadata.name}`;
      return (primary.byIndex(bySource, key) as Kustomization[])
        .filter((ks) => readiness || ks.status?.lastAttemptedRevision !== now?.revision || findCondition(ks, "Ready")?.status !== "True")
        .map((ks) => `${ks.metadata.namespace}/${ks.metadata.name}`);
    },
  }));
  const dependencyWatch: RelatedWatch = {
    ref: refOfKind(kustomizationKind),
    scoped: true,
    map: (ev, primary) => {
      const dependants = () => primary.byIndex(byDependency, `${ev.object.metadata.namespace}/${ev.object.metadata.name}`).map((d) => `${d.metadata.namespace}/${d.metadata.name}`);
      // A dependency created after its dependant ("not found" until now).
      if (ev.type === "add") return dependants();
      if (ev.type !== "update") return [];
      const was = ev.old as Kustomization;
      const is = ev.object as Kustomization;
      const readyNow = findCondition(is, "Ready");
      const readyBefore = findCondition(was, "Ready");
      const changed =
        readyNow?.status !== readyBefore?.status ||
        is.status?.lastAppliedRevision !== was.status?.lastAppliedRevision ||
        is.status?.observedGeneration !== was.status?.observedGeneration;
      if (!changed) return [];
      return dependants();
    },
  };
  return {
    name: "kustomization",
    kind: kustomizationKind,
    finalizer: finalizerName,
    watches: [...sourceWatches, dependencyWatch, ...configWatches()],
    indexes: { [bySource]: (ks) => [sourceKey(ks)], [byDependency]: dependencyKeys, [byConfigRef]: (ks) => configRefKeys(ks, fallbackAge) },
    onInformer: (informer) => {
      self = informer;
      releaseOnDelete(informer, deps);
    },
    retryAfterMs: retryIntervalOf,
    reconcile: (ks, ctx) => reconcileKustomization(ks, ctx, deps, self!),
    finalize: (ks, ctx) => finalizeKustomization(ks, ctx, deps),
  };
}
