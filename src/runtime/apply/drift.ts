import { isDeepStrictEqual } from "node:util";
import type { KubeObject } from "../../api/meta.ts";
import { withoutPointers } from "./json_pointer.ts";

/**
 * Whether applying would change the live object: compares the server's dry-run result with the
 * live object on labels, annotations and everything outside metadata and status, leaving out the
 * `ignored` fields (parsed JSON pointers) on both sides; ignoring the root ignores everything.
 */
export function hasDrift(dryRun: KubeObject, live: KubeObject, ignored: readonly (readonly string[])[] = []): boolean {
  if (ignored.some((tokens) => tokens.length === 0)) return false;
  if (ignored.length > 0) {
    dryRun = withoutPointers(dryRun, ignored);
    live = withoutPointers(live, ignored);
  }
  return !isDeepStrictEqual(comparable(dryRun), comparable(live));
}

function comparable(obj: KubeObject): Record<string, unknown> {
  const { metadata, status: _status, apiVersion: _a, kind: _k, ...rest } = obj;
  return { ...rest, labels: metadata?.labels ?? {}, annotations: metadata?.annotations ?? {} };
}
