import type { KubeObject } from "../api/meta.ts";
import { findCondition } from "../runtime/status/conditions.ts";

/**
 * Why a source is not Ready ("Reason: message"), or undefined when it is (or is still working).
 * A source that keeps its last artifact while failing (a Git server down, a commit that fails
 * verification) leaves that artifact applied; this says why no newer revision comes.
 */
export function sourceNotReady(source: KubeObject | undefined): string | undefined {
  if (!source) return undefined;
  const ready = findCondition(source as never, "Ready");
  if (ready?.status !== "False") return undefined;
  return `${ready.reason}: ${ready.message}`;
}
