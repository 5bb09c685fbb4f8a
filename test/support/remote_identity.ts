import { stringify } from "yaml";
import { fromKubeconfigFile } from "../../src/runtime/kube/kubeconfig.ts";
import type { ObjectApi } from "../../src/runtime/kube/objects.ts";
import type { ResourceRef } from "../../src/runtime/kube/resource_ref.ts";
import { testKubeconfigPath } from "./test_manager.ts";

const rbac = (resource: string, kind: string): ResourceRef => ({ group: "rbac.authorization.k8s.io", version: "v1", resource, kind, namespaced: true });
const core = (resource: string, kind: string): ResourceRef => ({ group: "", version: "v1", resource, kind, namespaced: true });

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };

/** Everything on ConfigMaps. */
export const configMapRules: Rule[] = [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] }];

/** ServiceAccount `ns/name` bound to a Role in `ns` with `rules` (default: everything on ConfigMaps); returns a 1 h token for it. */
export async function serviceAccountToken(api: ObjectApi, ns: string, name: string, rules: Rule[] = configMapRules): Promise<string> {
  await api.create(core("serviceaccounts", "ServiceAccount"), { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace: ns } });
  await api.create(rbac("roles", "Role"), { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name, namespace: ns }, rules } as never);
  await api.create(rbac("rolebindings", "RoleBinding"), {
    apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name, namespace: ns },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
    subjects: [{ kind: "ServiceAccount", name, namespace: ns }],
  } as never);
  const req = await api.client.request<{ status: { token: string } }>({
    method: "POST",
    path: `/api/v1/namespaces/${ns}/serviceaccounts/${name}/token`,
    body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { expirationSeconds: 3600 } },
  });
  return req.status.token;
}

/** A kubeconfig for the test cluster with this user entry; `cluster` replaces or adds fields of the cluster entry (undefined removes one). */
export function testClusterKubeconfig(user: Record<string, unknown>, cluster: Record<string, unknown> = {}): string {
  const conn = fromKubeconfigFile(testKubeconfigPath());
  const entry: Record<string, unknown> = { server: conn.server, "certificate-authority-data": conn.ca!.toString("base64"), ...cluster };
  for (const k of Object.keys(entry)) if (entry[k] === undefined) delete entry[k];
  return stringify({
    apiVersion: "v1", kind: "Config", "current-context": "test",
    contexts: [{ name: "test", context: { cluster: "test", user: "test" } }],
    clusters: [{ name: "test", cluster: entry }],
    users: [{ name: "test", user }],
  });
}
