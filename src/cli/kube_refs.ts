import type { ResourceRef } from "../runtime/kube/resource_ref.ts";

/** Built-in kinds the CLI reads, so no discovery round trip is needed for them. */
export const crdRef: ResourceRef = {
  group: "apiextensions.k8s.io",
  version: "v1",
  resource: "customresourcedefinitions",
  kind: "CustomResourceDefinition",
  namespaced: false,
};
export const deploymentRef: ResourceRef = { group: "apps", version: "v1", resource: "deployments", kind: "Deployment", namespaced: true };
export const namespaceRef: ResourceRef = { group: "", version: "v1", resource: "namespaces", kind: "Namespace", namespaced: false };
