import { ApiError } from "../kube/api_error.ts";
import type { RemoteCluster } from "./remote_cluster.ts";

/**
 * Contacts the remote cluster once (GET /version), throwing an Error whose message names the server
 * and `origin` (where its kubeconfig came from, e.g. `KubeConfig secret 'apps/prod' key 'value'`)
 * and says why: refused credentials, a failed credential plugin, or the network's own words.
 */
export async function reachRemote(cluster: RemoteCluster, origin: string): Promise<void> {
  try {
    await cluster.ping();
  } catch (err) {
    const why = err instanceof ApiError && err.code === 401 ? "the server refused the kubeconfig's credentials (401 Unauthorized)" : networkMessage(err);
    throw new Error(`cannot reach the cluster at ${cluster.server} (${origin}): ${why}`, { cause: err });
  }
}

/** undici's errors say "fetch failed" or "other side closed" and put the code (ECONNREFUSED…) on a cause. */
function networkMessage(err: unknown): string {
  const parts: string[] = [];
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const message = (e as Error).message;
    if (message && !parts.includes(message)) parts.push(message);
  }
  return parts.join(": ") || String(err);
}
