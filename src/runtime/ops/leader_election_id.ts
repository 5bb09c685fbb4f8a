import { createHash } from "node:crypto";

/**
 * The Lease name for one set of controllers: `<base>-leader-election`, plus a digest of the watch
 * label selector when sharding, so that shards of the same controllers each elect their own leader.
 */
export function leaderElectionId(base: string, labelSelector?: string): string {
  const id = `${base}-leader-election`;
  if (!labelSelector) return id;
  return `${id}-${createHash("sha256").update(labelSelector).digest("hex").slice(0, 8)}`;
}
