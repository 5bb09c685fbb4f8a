import type { Kustomization } from "../api/kustomize/kustomization.ts";
import type { KubeObject } from "../api/meta.ts";
import { ApplyError, type ChangeSetEntry, applySet } from "../runtime/apply/apply_set.ts";
import { ReconcileError, type ReconcileContext } from "../runtime/controller/reconciler.ts";
import { waitForSet } from "../runtime/health/wait_for_set.ts";
import { mergeInventories, inventoryOf } from "./inventory.ts";
import type { KustomizeDeps } from "./kustomize_deps.ts";
import { ownerLabelKeys, fieldManager, ksReasons } from "./reasons.ts";
import { targetsOf } from "./health_targets.ts";
import type { SpecRules } from "./spec_rules.ts";
import type { ClusterTarget } from "./target_cluster.ts";

export function ownerLabels(ks: Kustomization): Record<string, string> {
  return { [ownerLabelKeys.name]: ks.metadata.name!, [ownerLabelKeys.namespace]: ks.metadata.namespace! };
}

/**
 * Applies the built objects with staged server-side apply to the target cluster, as the
 * Kustomization's service account if it has one, adding commonMetadata first and leaving alone
 * the fields of spec.ignore (compiled by spec_rules.ts). On
 * failure the inventory becomes the old one plus everything attempted, so no object is pruned
 * because of a failed apply.
 */
export async function applyManifests(
  ks: Kustomization,
  objects: KubeObject[],
  ctx: ReconcileContext,
  deps: KustomizeDeps,
  target: ClusterTarget,
  ignoredFields: SpecRules["ignoredFields"],
): Promise<ChangeSetEntry[]> {
  const common = ks.spec.commonMetadata;
  for (const obj of objects) {
    if (common?.labels) obj.metadata.labels = { ...obj.metadata.labels, ...common.labels };
    if (common?.annotations) obj.metadata.annotations = { ...obj.metadata.annotations, ...common.annotations };
    guardEncrypted(ks, obj);
  }
  const owner = ks.metadata.namespace!;
  const key = `${owner}/${ks.metadata.name}`;
  let memo = deps.applied.get(key);
  if (!memo) deps.applied.set(key, (memo = new Map()));
  try {
    return await applySet(objects, {
      api: target.api,
      owned: target.owned,
      ownerNamespace: owner,
      ownerLabels: ownerLabels(ks),
      fieldManager,
      force: ks.spec.force === true,
      concurrency: 8,
      memo,
      ignoredFields,
      signal: ctx.signal,
      waitForStage: async (entries) => waitForSet(await targetsOf(entries, owner, target), { timeoutMs: 60_000, signal: ctx.signal }),
    });
  } catch (err) {
    if (err instanceof ApplyError) {
      ks.status ??= {};
      ks.status.inventory = mergeInventories(ks.status.inventory, inventoryOf(err.entries));
      throw new ReconcileError(ksReasons.failed, err.message, { cause: err });
    }
    throw err;
  }
}

/** A Secret still carrying SOPS metadata would be applied encrypted: refuse it. */
function guardEncrypted(ks: Kustomization, obj: KubeObject): void {
  if (obj.kind !== "Secret" || obj.apiVersion !== "v1" || !("sops" in obj)) return;
  if (obj.metadata.annotations?.["kustomize.toolkit.fluxcd.io/decrypt"]?.toLowerCase() === "disabled") return;
  const subject = `Secret/${obj.metadata.namespace ?? ks.metadata.namespace}/${obj.metadata.name}`;
  throw new ReconcileError(ksReasons.buildFailed, `${subject} is SOPS encrypted, configuring decryption is required for this secret to be reconciled`);
}
