import type { ArtifactCache } from "../runtime/artifact/artifact_cache.ts";
import type { ControllerFlags } from "../runtime/controller_flags.ts";
import type { KubeClient } from "../runtime/kube/client.ts";
import type { RemoteClusters } from "../runtime/remote/remote_clusters.ts";
import type { AccessReviews } from "./access_reviews.ts";
import type { BuildCache } from "./build_cache.ts";
import type { LocalWatches } from "./local_watches.ts";

/** What every step of a Kustomization reconcile shares, built once in register.ts. */
export interface KustomizeDeps {
  flags: ControllerFlags;
  artifacts: ArtifactCache;
  builds: BuildCache;
  /** The watches of applied objects on this cluster (shared, or per service account in a lockdown). */
  local: LocalWatches;
  /** SelfSubjectAccessReview answers, kept a short while (ADR 0009). */
  reviews: AccessReviews;
  /** The manager's client, to derive impersonating clients from. */
  client: KubeClient;
  /** Clients and watches of the remote clusters named by spec.kubeConfig, one per kubeconfig content. */
  remotes: RemoteClusters;
  /** This process's scratch folder (decrypted copies go here); removed on stop, swept after a crash. */
  scratch: string;
  /** Per Kustomization (namespace/name): what its last applies produced, to skip no-op dry-runs. */
  applied: Map<string, Map<string, { digest: string; resourceVersion: string }>>;
}
