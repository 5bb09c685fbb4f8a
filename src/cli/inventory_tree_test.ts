import assert from "node:assert/strict";
import { test } from "node:test";
import { drawTree, parseInventoryId, type TreeNode } from "./inventory_tree.ts";

test("inventory ids split into namespace, name, group and kind", () => {
  assert.deepEqual(parseInventoryId("apps_podinfo_apps_Deployment"), { namespace: "apps", name: "podinfo", group: "apps", kind: "Deployment" });
  assert.deepEqual(parseInventoryId("_apps__Namespace"), { namespace: "", name: "apps", group: "", kind: "Namespace" });
  assert.equal(parseInventoryId("garbage"), undefined);
});

test("the tree is drawn with flux's prefixes", () => {
  const leaf = (kind: string, name: string, namespace = "apps"): TreeNode => ({ kind, name, namespace, group: "", children: [] });
  const root: TreeNode = {
    ...leaf("Kustomization", "root", "flux-system"),
    children: [
      leaf("Namespace", "apps", ""),
      { ...leaf("Kustomization", "child", "flux-system"), children: [leaf("Deployment", "web"), leaf("Service", "web")] },
      leaf("ConfigMap", "cfg"),
    ],
  };
  assert.deepEqual(drawTree(root), [
    "Kustomization/flux-system/root",
    "├── Namespace/apps",
    "├── Kustomization/flux-system/child",
    "│   ├── Deployment/apps/web",
    "│   └── Service/apps/web",
    "└── ConfigMap/apps/cfg",
  ]);
});
