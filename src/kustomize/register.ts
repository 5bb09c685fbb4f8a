import { rm } from "node:fs/promises";
import { join } from "node:path";
import { Gauge } from "prom-client";
import { ArtifactCache } from "../runtime/artifact/artifact_cache.ts";
import type { ControllerFlags } from "../runtime/controller_flags.ts";
import type { Manager } from "../runtime/manager.ts";
import { RemoteClusters } from "../runtime/remote/remote_clusters.ts";
import { AccessReviews } from "./access_reviews.ts";
import { BuildCache } from "./build_cache.ts";
import { kustomizationReconciler } from "./kustomization_reconciler.ts";
import { LocalWatches } from "./local_watches.ts";
import type { KustomizeDeps } from "./kustomize_deps.ts";
import { ownerLabelKeys } from "./reasons.ts";
import { makeWorkDir } from "./work_dir.ts";

/** Adds the Kustomization controller to a manager. */
export async function registerKustomizeController(manager: Manager, flags: ControllerFlags): Promise<void> {
  const work = await makeWorkDir();
  const artifacts = new ArtifactCache({ root: join(work, "artifacts") });
  const remotes = new RemoteClusters({
    userAgent: "sluice",
    onWatchError: (server, err) => manager.log.warn({ server, err: err instanceof Error ? err.message : String(err) }, "remote watch failed; relisting"),
  });
  const reviews = new AccessReviews({ ttlMs: flags.accessReviewTtlMs });
  const local = new LocalWatches(manager.cache, manager.client, { namespaceLabel: ownerLabelKeys.namespace, reviews, idleMs: flags.localWatchIdleMs });
  new Gauge({
    name: "sluice_kustomize_account_watch_sets",
    help: "Sets of watches the kustomize controller keeps as a service account, one per account and namespace (multi-tenant lockdown).",
    registers: [manager.metrics.registry],
    collect() {
      this.set(local.accountWatches);
    },
  });
  const deps: KustomizeDeps = {
    flags,
    artifacts,
    builds: new BuildCache({ root: join(work, "builds"), kustomizeBinary: flags.kustomizeBinary }),
    local,
    reviews,
    client: manager.client,
    remotes,
    applied: new Map(),
    scratch: join(work, "scratch"),
  };
  manager.add(kustomizationReconciler(deps));
  manager.addRunnable({
    start: async () => undefined,
    stop: async () => {
      await artifacts.close();
      await remotes.close();
      await local.close();
      await rm(work, { recursive: true, force: true });
    },
  });
}
