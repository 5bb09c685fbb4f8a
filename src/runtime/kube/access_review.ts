import type { KubeClient } from "./client.ts";

/** What a request would do, as RBAC sees it. */
export interface ResourceAttributes {
  verb: string;
  group: string;
  resource: string;
  namespace?: string;
  name?: string;
}

export interface AccessDecision {
  allowed: boolean;
  /** The authorizer's explanation, when it gives one. */
  reason?: string;
}

/**
 * Asks the API server whether the client's user — or the user it impersonates — may do this: a
 * SelfSubjectAccessReview, which every authenticated user may create and which reads nothing.
 */
export async function accessReview(client: KubeClient, attrs: ResourceAttributes): Promise<AccessDecision> {
  const res = await client.request<{ status?: { allowed?: boolean; reason?: string; evaluationError?: string } }>({
    method: "POST",
    path: "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
    body: {
      apiVersion: "authorization.k8s.io/v1",
      kind: "SelfSubjectAccessReview",
      spec: { resourceAttributes: { ...attrs, namespace: attrs.namespace || undefined, name: attrs.name || undefined } },
    },
  });
  return { allowed: res.status?.allowed === true, reason: res.status?.reason || res.status?.evaluationError || undefined };
}
