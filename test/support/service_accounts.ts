import { stringify } from "yaml";
import { fromKubeconfigFile } from "../../src/runtime/kube/kubeconfig.ts";
import type { ObjectApi } from "../../src/runtime/kube/objects.ts";
import type { ResourceRef } from "../../src/runtime/kube/resource_ref.ts";
import { testKubeconfigPath } from "./test_manager.ts";

const rbac = (resource: string, kind: string): ResourceRef => ({ group: "rbac.authorization.k8s.io", version: "v1", resource, kind, namespaced: true });
const serviceAccounts: ResourceRef = { group: "", version: "v1", resource: "serviceaccounts", kind: "ServiceAccount", namespaced: true };

/** An RBAC policy rule. */
export type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };

/** Everything on ConfigMaps. */
export const configMapRules: Rule[] = [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] }];

/** ServiceAccount `ns/name`, bound to a Role in `ns` of the same name with `rules` (default: everything on ConfigMaps). */
export async function serviceAccount(api: ObjectApi, ns: string, name: string, rules: Rule[] = configMapRules): Promise<void> {
  await api.create(serviceAccounts, { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace: ns } });
  await api.create(rbac("roles", "Role"), { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name, namespace: ns }, rules } as never);
  await api.create(rbac("rolebindings", "RoleBinding"), {
    apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name, namespace: ns },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
    subjects: [{ kind: "ServiceAccount", name, namespace: ns }],
  } as never);
}

/** A 1 h token for ServiceAccount `ns/name` from the TokenRequest API. */
export async function serviceAccountToken(api: ObjectApi, ns: string, name: string): Promise<string> {
  const req = await api.client.request<{ status: { token: string } }>({
    method: "POST",
    path: `/api/v1/namespaces/${ns}/serviceaccounts/${name}/token`,
    body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { expirationSeconds: 3600 } },
  });
  return req.status.token;
}

/** A kubeconfig acting as ServiceAccount `ns/name` through a token (1 h). */
export async function serviceAccountKubeconfig(api: ObjectApi, ns: string, name: string): Promise<string> {
  return kubeconfigFor({ token: await serviceAccountToken(api, ns, name) });
}

/**
 * A kubeconfig for the test cluster acting as `user` (e.g. `{ token }`). `cluster` is another server
 * URL, or fields that replace or add to the cluster entry (undefined removes one).
 */
export function kubeconfigFor(user: Record<string, unknown>, cluster: string | Record<string, unknown> = {}): string {
  const conn = fromKubeconfigFile(testKubeconfigPath());
  const overrides = typeof cluster === "string" ? { server: cluster } : cluster;
  const entry: Record<string, unknown> = { server: conn.server, "certificate-authority-data": conn.ca!.toString("base64"), ...overrides };
  for (const k of Object.keys(entry)) if (entry[k] === undefined) delete entry[k];
  return stringify({
    apiVersion: "v1", kind: "Config", "current-context": "test",
    contexts: [{ name: "test", context: { cluster: "test", user: "test" } }],
    clusters: [{ name: "test", cluster: entry }],
    users: [{ name: "test", user }],
  });
}
