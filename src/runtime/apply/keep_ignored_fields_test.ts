import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/meta.ts";
import { parseJsonPointer } from "./json_pointer.ts";
import { keepIgnoredFields } from "./keep_ignored_fields.ts";

const payload = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "apps", labels: { app: "web" } },
  spec: { replicas: 1, paused: false, template: { spec: { containers: [{ name: "app", image: "nginx:1.27" }] } } },
} as unknown as KubeObject;

function cluster(managedFields: unknown[], spec: Record<string, unknown>): KubeObject {
  return {
    ...structuredClone(payload),
    metadata: { ...payload.metadata, resourceVersion: "9", annotations: { note: "x" }, managedFields },
    spec: { ...(payload as unknown as { spec: object }).spec, ...spec },
  } as KubeObject;
}

const apply = (manager: string, fieldsV1: unknown) => ({ manager, operation: "Apply", fieldsType: "FieldsV1", fieldsV1 });
const update = (manager: string, fieldsV1: unknown) => ({ manager, operation: "Update", fieldsType: "FieldsV1", fieldsV1 });
const ours = apply("kustomize-controller", { "f:spec": { "f:paused": {}, "f:template": {} } });
const p = (...ps: string[]) => ps.map(parseJsonPointer);

test("a field another applier owns is stripped from the payload", () => {
  const live = cluster([ours, apply("hpa", { "f:spec": { "f:replicas": {} } })], { replicas: 5 });
  const out = keepIgnoredFields(payload, live, p("/spec/replicas"), "kustomize-controller");
  assert.deepEqual(out.changes, [{ pointer: "/spec/replicas", action: "strip" }]);
  assert.equal("replicas" in (out.payload as unknown as { spec: object }).spec, false);
  assert.equal((payload as unknown as { spec: { replicas: number } }).spec.replicas, 1, "the input is left alone");
});

test("a field set by an update (or by us) is adopted: the cluster's value goes into the payload", () => {
  for (const managers of [[ours, update("kubectl", { "f:spec": { "f:replicas": {} } })], [ours, apply("kustomize-controller", { "f:spec": { "f:replicas": {} } })]]) {
    const out = keepIgnoredFields(payload, cluster(managers, { replicas: 3 }), p("/spec/replicas"), "kustomize-controller");
    assert.deepEqual(out.changes, [{ pointer: "/spec/replicas", action: "adopt" }]);
    assert.equal((out.payload as unknown as { spec: { replicas: number } }).spec.replicas, 3);
  }
});

test("fields that do not differ, or that the cluster lacks, keep the payload's value", () => {
  const live = cluster([ours, apply("hpa", { "f:spec": { "f:replicas": {} } })], { replicas: 1 });
  delete (live as unknown as { spec: { paused?: boolean } }).spec.paused;
  const out = keepIgnoredFields(payload, live, p("/spec/replicas", "/spec/paused", ""), "kustomize-controller");
  assert.deepEqual(out.changes, []);
  assert.deepEqual(out.payload, payload);
});

test("a field only the cluster has is adopted into the payload; with another applier, nothing is added", () => {
  const live = cluster([ours], {});
  (live.metadata.annotations as Record<string, string>)["a/b"] = "kept";
  const out = keepIgnoredFields(payload, live, p("/metadata/annotations/a~1b", "/metadata/annotations/note"), "kustomize-controller");
  assert.deepEqual(out.changes.map((c) => c.pointer).sort(), ["/metadata/annotations/a~1b", "/metadata/annotations/note"]);
  assert.deepEqual(out.payload.metadata.annotations, { "a/b": "kept", note: "x" });

  const owned = cluster([ours, apply("other", { "f:metadata": { "f:annotations": { "f:note": {} } } })], {});
  const out2 = keepIgnoredFields(payload, owned, p("/metadata/annotations/note"), "kustomize-controller");
  assert.deepEqual(out2.changes, []);
  assert.equal(out2.payload.metadata.annotations, undefined);
});

test("list items: the image of a keyed container", () => {
  const fields = { "f:spec": { "f:template": { "f:spec": { "f:containers": { 'k:{"name":"app"}': { "f:image": {} } } } } } };
  const live = cluster([ours, apply("updater", fields)], { template: { spec: { containers: [{ name: "app", image: "nginx:1.28" }] } } });
  const out = keepIgnoredFields(payload, live, p("/spec/template/spec/containers/0/image"), "kustomize-controller");
  assert.deepEqual(out.changes, [{ pointer: "/spec/template/spec/containers/0/image", action: "strip" }]);
  assert.deepEqual((out.payload as unknown as { spec: { template: { spec: { containers: unknown[] } } } }).spec.template.spec.containers, [{ name: "app" }]);
});
