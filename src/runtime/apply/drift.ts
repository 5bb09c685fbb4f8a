import { isDeepStrictEqual } from "node:util";
import type { KubeObject } from "../../api/meta.ts";

/**
 * Whether applying would change the live object: compares the server's dry-run result with the
 * live object on labels, annotations and everything outside metadata and status.
 */
export function hasDrift(dryRun: KubeObject, live: KubeObject): boolean {
  return !isDeepStrictEqual(comparable(dryRun), comparable(live));
}

function comparable(obj: KubeObject): Record<string, unknown> {
  const { metadata, status: _status, apiVersion: _a, kind: _k, ...rest } = obj;
  return { ...rest, labels: metadata.labels ?? {}, annotations: metadata.annotations ?? {} };
}
