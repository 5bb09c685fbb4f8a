import type { Kustomization } from "../api/kustomize/kustomization.ts";
import type { KubeObject } from "../api/meta.ts";
import type { OwnedObjects } from "../runtime/apply/owned_objects.ts";
import type { Informer } from "../runtime/cache/informer.ts";
import { ReconcileError, type ReconcileContext } from "../runtime/controller/reconciler.ts";
import type { ObjectApi } from "../runtime/kube/objects.ts";
import { parseKubeconfig } from "../runtime/kube/parse_kubeconfig.ts";
import { reachRemote } from "../runtime/remote/reach_remote.ts";
import type { ResourceRef } from "../runtime/kube/resource_ref.ts";
import type { AccessReviews } from "./access_reviews.ts";
import { impersonationOf } from "./impersonation.ts";
import { readKubeconfigSecret } from "./kubeconfig_secret.ts";
import type { KustomizeDeps } from "./kustomize_deps.ts";
import { ksReasons, ownerLabelKeys } from "./reasons.ts";

/** The cluster a Kustomization applies to, and the identities it uses there. */
export interface ClusterTarget {
  /** Dry-runs, applies, deletes and health-read checks: as the impersonated service account, else as `reader`. */
  api: ObjectApi;
  /** The connection's own identity (the controller, or the kubeconfig's user), which keeps the watches. */
  reader: ObjectApi;
  /** The applied objects' live state, from watches made by `reader`. */
  owned: OwnedObjects;
  /** A synced watch of any kind, for healthChecks naming objects this Kustomization does not apply. */
  watch(ref: ResourceRef, namespace: string | undefined): Promise<Informer<KubeObject>>;
  /** Where the impersonated user's right to read is asked, and remembered for a short while. */
  reviews: AccessReviews;
  /** The impersonated user, whose right to read what the watches show is checked before relying on them. */
  impersonating?: string;
  /** The remote API server, or undefined for the cluster the controller runs in. */
  server?: string;
}

const users = (ks: Pick<Kustomization, "metadata">) => `${ks.metadata.namespace}/${ks.metadata.name}`;

/**
 * The local cluster, or with spec.kubeConfig.secretRef the remote one its kubeconfig names (one
 * client per kubeconfig content, shared, see RemoteClusters), reached once per reconcile so that an
 * unreachable server fails here, before anything is applied or pruned. configMapRef (cloud workload
 * identity) is refused as Stalled.
 */
export async function targetOf(ks: Kustomization, ctx: ReconcileContext, deps: KustomizeDeps): Promise<ClusterTarget> {
  const user = users(ks);
  const ref = ks.spec.kubeConfig;
  if (!ref) {
    // Back from a remote cluster: what was applied there says nothing about this one.
    if (deps.remotes.release(user)) deps.applied.delete(user);
    const who = impersonationOf(ks, deps);
    const local = deps.local.use(user, who);
    return {
      api: who ? ctx.api.as(deps.client.impersonating(who)) : ctx.api,
      reader: ctx.api,
      owned: local.owned,
      watch: local.watch,
      reviews: deps.reviews,
      impersonating: who?.user,
    };
  }
  if (ref.configMapRef) {
    throw new ReconcileError(
      ksReasons.failed,
      `spec.kubeConfig.configMapRef '${ks.metadata.namespace}/${ref.configMapRef.name}': cloud provider workload identity is not supported by Sluice; ` +
        "use spec.kubeConfig.secretRef with a kubeconfig holding inline credentials (client certificate and key, token, or username and password)",
      { stalled: true },
    );
  }
  if (!ref.secretRef) throw new ReconcileError(ksReasons.failed, "spec.kubeConfig needs a secretRef", { stalled: true });
  deps.local.release(user);
  const { text, origin } = await readKubeconfigSecret(ks, ctx);
  const before = deps.remotes.keyOf(user);
  let cluster;
  try {
    const policy = { allowExec: deps.flags.insecureKubeconfigExec, allowInsecureTls: deps.flags.insecureKubeconfigTls };
    cluster = deps.remotes.use(user, text, () => parseKubeconfig(text, policy));
  } catch (err) {
    throw new ReconcileError(ksReasons.failed, `${origin}: invalid kubeconfig: ${(err as Error).message}`);
  }
  if (deps.remotes.keyOf(user) !== before) deps.applied.delete(user);
  try {
    await reachRemote(cluster, origin);
  } catch (err) {
    throw new ReconcileError(ksReasons.failed, (err as Error).message, { cause: err });
  }
  const who = impersonationOf(ks, deps);
  return {
    api: who ? cluster.api.as(cluster.client.impersonating(who)) : cluster.api,
    reader: cluster.api,
    owned: cluster.ownedObjects(ownerLabelKeys.namespace),
    watch: (r, namespace) => cluster.informer(r, { namespace: r.namespaced ? namespace : undefined }),
    reviews: deps.reviews,
    impersonating: who?.user,
    server: cluster.server,
  };
}

/**
 * The Kustomization is gone (finalized, or deleted without its finalizer): close its remote client
 * if no one else uses it, and let go of its service-account watches here.
 */
export function releaseTarget(ks: Pick<Kustomization, "metadata">, deps: KustomizeDeps): void {
  deps.remotes.release(users(ks));
  deps.local.release(users(ks));
}

/** Releases remote clients of Kustomizations deleted without a finalize (their finalizer removed by hand). */
export function releaseOnDelete(self: Informer<Kustomization>, deps: KustomizeDeps): void {
  self.on((ev) => ev.type === "delete" && releaseTarget(ev.object, deps), { replay: false });
}
