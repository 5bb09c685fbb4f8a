import type { Artifact } from "../../api/meta.ts";
import type { GitRepository } from "../../api/source/git_repository.ts";
import { findCondition } from "../../runtime/status/conditions.ts";
import { sourceConditions } from "./source_conditions.ts";

/**
 * Whether anything besides the revision changed what the artifact would hold: ignore rules,
 * submodules, sparse checkout, includes (their spec and their artifacts), or a verification
 * that has not passed for the current mode. When none did, an unmoved ref needs no clone.
 */
export function contentConfigChanged(obj: GitRepository, includes: Artifact[]): boolean {
  const spec = obj.spec;
  const status = obj.status ?? {};
  if ((status.observedIgnore ?? undefined) !== (spec.ignore ?? undefined)) return true;
  if (!!status.observedRecurseSubmodules !== !!spec.recurseSubmodules) return true;
  if (same(status.observedSparseCheckout ?? [], spec.sparseCheckout ?? []) === false) return true;
  if (same(status.observedInclude ?? [], spec.include ?? []) === false) return true;
  const pins = (as: Artifact[]) => as.map((a) => `${a.revision}|${a.digest}`);
  if (same(pins(status.includedArtifacts ?? []), pins(includes)) === false) return true;
  if (spec.verify) {
    const mode = spec.verify.mode === "Tag" || spec.verify.mode === "TagAndHEAD" ? spec.verify.mode : "HEAD";
    if (status.sourceVerificationMode !== mode) return true;
    if (findCondition(obj, sourceConditions.sourceVerified)?.status !== "True") return true;
  }
  return false;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
