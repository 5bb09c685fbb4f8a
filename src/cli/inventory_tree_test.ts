import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../api/meta.ts";
import { drawTree, inventoryOf, type TreeNode } from "./inventory_tree.ts";

test("inventory entries become nodes; malformed ones are skipped", () => {
  const ks = {
    apiVersion: "v",
    kind: "Kustomization",
    metadata: { name: "a" },
    status: {
      inventory: {
        entries: [
          { id: "apps_podinfo_apps_Deployment", v: "v1" },
          { id: "_apps__Namespace", v: "v1" },
          { id: "_system__controller_rbac.authorization.k8s.io_ClusterRole", v: "v1" },
          { id: "garbage", v: "v1" },
        ],
      },
    },
  } as KubeObject;
  assert.deepEqual(inventoryOf(ks), [
    { namespace: "apps", name: "podinfo", group: "apps", version: "v1", kind: "Deployment", children: [] },
    { namespace: "", name: "apps", group: "", version: "v1", kind: "Namespace", children: [] },
    { namespace: "", name: "system:controller", group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", children: [] },
  ]);
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
