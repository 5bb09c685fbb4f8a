import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/meta.ts";
import { applyOwners } from "./apply_owners.ts";
import { parseJsonPointer } from "./json_pointer.ts";

// As the API server writes them: kustomize-controller applied the manifest, "hpa" applied
// replicas, kubectl edited an annotation with an update, a monitor applied a template annotation.
const deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: {
    name: "web",
    namespace: "apps",
    annotations: { "a/b": "1", note: "by hand" },
    managedFields: [
      {
        manager: "kustomize-controller",
        operation: "Apply",
        apiVersion: "apps/v1",
        fieldsType: "FieldsV1",
        fieldsV1: {
          "f:metadata": { "f:annotations": { "f:a/b": {} }, "f:labels": { "f:app": {} } },
          "f:spec": {
            "f:selector": {},
            "f:template": {
              "f:metadata": { "f:labels": { "f:app": {} } },
              "f:spec": {
                "f:containers": {
                  'k:{"name":"app"}': { ".": {}, "f:image": {}, "f:name": {}, "f:ports": { 'k:{"containerPort":80,"protocol":"TCP"}': { ".": {}, "f:containerPort": {} } } },
                },
              },
            },
          },
        },
      },
      { manager: "hpa", operation: "Apply", apiVersion: "apps/v1", fieldsType: "FieldsV1", fieldsV1: { "f:spec": { "f:replicas": {} } } },
      { manager: "kubectl-edit", operation: "Update", apiVersion: "apps/v1", fieldsType: "FieldsV1", fieldsV1: { "f:metadata": { "f:annotations": { "f:note": {} } } } },
      {
        manager: "monitor",
        operation: "Apply",
        apiVersion: "apps/v1",
        fieldsType: "FieldsV1",
        fieldsV1: { "f:spec": { "f:template": { "f:metadata": { "f:annotations": { "f:scrape": {} } }, "f:spec": { "f:tolerations": { 'v:"x"': {} } } } } },
      },
      { manager: "kube-controller-manager", operation: "Update", subresource: "status", fieldsType: "FieldsV1", fieldsV1: { "f:status": { "f:replicas": {} } } },
    ],
  },
  spec: {
    replicas: 4,
    selector: { matchLabels: { app: "web" } },
    template: {
      metadata: { labels: { app: "web" }, annotations: { scrape: "true" } },
      spec: { containers: [{ name: "app", image: "nginx", ports: [{ containerPort: 80, protocol: "TCP" }] }], tolerations: ["x"] },
    },
  },
} as unknown as KubeObject;

const owners = (pointer: string) => applyOwners(deployment, parseJsonPointer(pointer)).sort();

test("applyOwners: the Apply managers owning a field, its subtree or an atomic parent", () => {
  assert.deepEqual(owners("/spec/replicas"), ["hpa"]);
  assert.deepEqual(owners("/metadata/annotations/a~1b"), ["kustomize-controller"]);
  assert.deepEqual(owners("/metadata/annotations/note"), [], "an Update manager does not count");
  assert.deepEqual(owners("/spec/template/metadata/annotations"), ["monitor"], "owning something under the path");
  assert.deepEqual(owners("/spec/template/metadata"), ["kustomize-controller", "monitor"]);
  assert.deepEqual(owners("/spec/selector/matchLabels/app"), ["kustomize-controller"], "an atomic parent");
  assert.deepEqual(owners("/status/replicas"), []);
  assert.deepEqual(owners(""), []);
});

test("applyOwners: list items by key, by value, and missing ones", () => {
  assert.deepEqual(owners("/spec/template/spec/containers/0/image"), ["kustomize-controller"]);
  assert.deepEqual(owners("/spec/template/spec/containers/0/ports/0/containerPort"), ["kustomize-controller"]);
  assert.deepEqual(owners("/spec/template/spec/containers/0/resources"), []);
  assert.deepEqual(owners("/spec/template/spec/containers/1"), [], "no such item");
  assert.deepEqual(owners("/spec/template/spec/containers/x"), []);
  assert.deepEqual(owners("/spec/template/spec/tolerations/0"), ["monitor"]);
});

test("applyOwners: an object without managedFields has no owners", () => {
  assert.deepEqual(applyOwners({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } }, ["data"]), []);
});
