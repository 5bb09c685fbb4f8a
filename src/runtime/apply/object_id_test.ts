import assert from "node:assert/strict";
import { test } from "node:test";
import { inventoryId, parseInventoryId, subjectOf } from "./object_id.ts";

test("inventory ids follow Flux's format", () => {
  assert.equal(inventoryId({ namespace: "apps", name: "podinfo", group: "apps", kind: "Deployment" }), "apps_podinfo_apps_Deployment");
  assert.equal(inventoryId({ namespace: "", name: "apps", group: "", kind: "Namespace" }), "_apps__Namespace");
  const rbac = { namespace: "", name: "system:controller:manager", group: "rbac.authorization.k8s.io", kind: "ClusterRole" };
  const id = inventoryId(rbac);
  assert.equal(id, "_system__controller__manager_rbac.authorization.k8s.io_ClusterRole");
  assert.deepEqual(parseInventoryId(id, "v1"), { ...rbac, version: "v1" });
  assert.deepEqual(parseInventoryId("default_podinfo__Service", "v1"), {
    namespace: "default", name: "podinfo", group: "", kind: "Service", version: "v1",
  });
  assert.throws(() => parseInventoryId("nonsense", "v1"), /invalid inventory id/);
  assert.equal(subjectOf({ namespace: "", name: "apps", kind: "Namespace" }), "Namespace/apps");
});
