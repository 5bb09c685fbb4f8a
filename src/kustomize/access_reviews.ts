import { type AccessDecision, accessReview, type ResourceAttributes } from "../runtime/kube/access_review.ts";
import type { KubeClient } from "../runtime/kube/client.ts";

/** How long an answer to a SelfSubjectAccessReview is trusted by default: RBAC removed is honoured within this. */
export const defaultAccessReviewTtlMs = 30_000;

/** Whose rights a question is about: the API server ("" for the cluster the controller runs in) and the user asking. */
export interface AccessSubject {
  cluster: string;
  user: string;
}

interface Entry {
  subject: AccessSubject;
  attrs: ResourceAttributes;
  at: number;
  decision: Promise<AccessDecision>;
}

/**
 * SelfSubjectAccessReview answers, kept for a short TTL so that a reconcile that changes nothing
 * asks the API server nothing. Denials are kept only when asked to (`rememberDenied`): a Role
 * granted later is then seen by the next reconcile, while an allowance revoked is seen within the
 * TTL (and at once when a watch made on the strength of it is refused: see forget()).
 */
export class AccessReviews {
  readonly ttlMs: number;
  readonly #entries = new Map<string, Entry>();

  constructor(opts: { ttlMs?: number } = {}) {
    this.ttlMs = opts.ttlMs ?? defaultAccessReviewTtlMs;
  }

  /** May `subject` (whom `client` acts as) do `attrs`? Asked once per TTL; a failed review is asked again next time. */
  decide(client: KubeClient, subject: AccessSubject, attrs: ResourceAttributes, opts: { rememberDenied?: boolean } = {}): Promise<AccessDecision> {
    const key = JSON.stringify([subject.cluster, subject.user, attrs.verb, attrs.group, attrs.resource, attrs.namespace ?? "", attrs.name ?? ""]);
    const now = Date.now();
    const known = this.#entries.get(key);
    if (known && now - known.at < this.ttlMs) return known.decision;
    if (this.#entries.size > 4096) this.#sweep(now);
    const decision = accessReview(client, attrs);
    const entry: Entry = { subject, attrs, at: now, decision };
    this.#entries.set(key, entry);
    const drop = () => this.#entries.get(key) === entry && this.#entries.delete(key);
    decision.then((d) => d.allowed || opts.rememberDenied || drop(), drop);
    return decision;
  }

  /** Drops what is known of `subject`'s rights (on `group`/`resource` only, when given): a watch was refused. */
  forget(subject: AccessSubject, what: { group?: string; resource?: string } = {}): void {
    for (const [key, e] of this.#entries) {
      if (e.subject.cluster !== subject.cluster || e.subject.user !== subject.user) continue;
      if (what.resource !== undefined && (e.attrs.resource !== what.resource || e.attrs.group !== (what.group ?? ""))) continue;
      this.#entries.delete(key);
    }
  }

  /** Answers currently kept (for tests and diagnostics). */
  get size(): number {
    return this.#entries.size;
  }

  #sweep(now: number): void {
    for (const [key, e] of this.#entries) if (now - e.at >= this.ttlMs) this.#entries.delete(key);
  }
}
