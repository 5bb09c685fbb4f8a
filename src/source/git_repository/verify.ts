import type { GitRepository } from "../../api/source/git_repository.ts";
import type { ReconcileContext } from "../../runtime/controller/reconciler.ts";
import { setCondition } from "../../runtime/status/conditions.ts";
import type { GitSession } from "../git/git_session.ts";
import type { RemoteRef } from "../git/remote_ref.ts";
import { SignatureError, trustedKeysFromSecret, verifySignature } from "../git/verify_signature.ts";
import { readSecret } from "./read_secret.ts";
import { sourceConditions as c, sourceFailure } from "./source_conditions.ts";

/** What spec.verify checks: the commit (HEAD), the tag, or both. */
export type VerifyMode = "HEAD" | "Tag" | "TagAndHEAD";

/** The verification mode of spec.verify (HEAD unless Tag or TagAndHEAD), undefined without spec.verify. */
export function verifyMode(obj: GitRepository): VerifyMode | undefined {
  const m = obj.spec.verify?.mode;
  if (!obj.spec.verify) return undefined;
  return m === "Tag" || m === "TagAndHEAD" ? m : "HEAD";
}

/**
 * The verify step: the signatures of the fetched tag and/or commit against the keys of
 * spec.verify.secretRef. SourceVerified records the outcome, and status.sourceVerificationMode the mode.
 */
export async function verify(
  obj: GitRepository,
  ctx: ReconcileContext,
  session: GitSession,
  src: string,
  fetched: RemoteRef,
  mode: VerifyMode,
): Promise<void> {
  const ns = obj.metadata.namespace!;
  const name = obj.spec.verify!.secretRef.name;
  if (mode !== "HEAD" && !fetched.tag) {
    throw sourceFailure(obj, c.sourceVerified, "InvalidVerificationMode", `cannot verify tag: spec.verify.mode is '${mode}' but the ref is not a tag (use ref.tag, ref.semver or a refs/tags/ name)`, { stalled: true });
  }
  const secret = readSecret(obj, ctx, name);
  if (!secret) throw sourceFailure(obj, c.sourceVerified, "VerificationError", `failed to get verification Secret '${ns}/${name}': not found`);
  const keys = trustedKeysFromSecret(secret.data);
  const lines: string[] = [];
  try {
    if (mode !== "HEAD") {
      const id = await verifySignature(session, src, { tag: fetched.tag! }, keys);
      lines.push(`tag '${fetched.tag}@sha1:${fetched.commit}' with key '${id}'`);
    }
    if (mode !== "Tag") {
      const id = await verifySignature(session, src, { commit: true }, keys);
      lines.push(`commit '${fetched.commit}' with key '${id}'`);
    }
  } catch (err) {
    if (err instanceof SignatureError) throw sourceFailure(obj, c.sourceVerified, err.reason, err.message);
    throw sourceFailure(obj, c.sourceVerified, "VerificationError", `signature verification failed: ${(err as Error).message}`);
  }
  setCondition(obj, c.sourceVerified, "True", "Succeeded", `verified signature of\n\t- ${lines.join("\n\t- ")}`);
  obj.status!.sourceVerificationMode = mode;
}
