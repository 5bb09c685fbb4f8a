import { stringify } from "yaml";
import { fromKubeconfigFile } from "../../src/runtime/kube/kubeconfig.ts";
import type { ObjectApi } from "../../src/runtime/kube/objects.ts";
import { testKubeconfigPath } from "./test_manager.ts";

/** A kubeconfig for the test cluster (or `server`) acting as `user` (e.g. `{ token }`). */
export function kubeconfigFor(user: Record<string, unknown>, server?: string): string {
  const conn = fromKubeconfigFile(testKubeconfigPath());
  return stringify({
    apiVersion: "v1", kind: "Config", "current-context": "test",
    contexts: [{ name: "test", context: { cluster: "test", user: "test" } }],
    clusters: [{ name: "test", cluster: { server: server ?? conn.server, "certificate-authority-data": conn.ca!.toString("base64") } }],
    users: [{ name: "test", user }],
  });
}

/** A kubeconfig acting as ServiceAccount `ns/name`, through a token from the TokenRequest API (1 h). */
export async function serviceAccountKubeconfig(api: ObjectApi, ns: string, name: string): Promise<string> {
  const req = await api.client.request<{ status: { token: string } }>({
    method: "POST",
    path: `/api/v1/namespaces/${ns}/serviceaccounts/${name}/token`,
    body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { expirationSeconds: 3600 } },
  });
  return kubeconfigFor({ token: req.status.token });
}
