import type { KubeObject } from "../api/meta.ts";
import { parseInventoryId, subjectOf } from "../runtime/apply/object_id.ts";

/** One node of `sluice tree`: an object and what it applied. */
export interface TreeNode {
  kind: string;
  group: string;
  /** The inventory entry's API version (empty when not known). */
  version?: string;
  name: string;
  /** Empty for cluster-scoped objects. */
  namespace: string;
  /** Set when the node could not be expanded (e.g. a child Kustomization that is gone). */
  note?: string;
  /** For a Kustomization with spec.kubeConfig: the API server its children were looked up on. */
  cluster?: string;
  children: TreeNode[];
}

/** The objects in a Kustomization's status.inventory; malformed entries are skipped. */
export function inventoryOf(obj: KubeObject): TreeNode[] {
  const entries = (obj.status as { inventory?: { entries?: Array<{ id: string; v: string }> } } | undefined)?.inventory?.entries ?? [];
  return entries.flatMap((e) => {
    try {
      const { namespace, name, group, kind, version } = parseInventoryId(e.id, e.v);
      return [{ namespace, name, group, version, kind, children: [] }];
    } catch {
      return [];
    }
  });
}

/** Kind/namespace/name, or Kind/name for cluster-scoped objects. */
export function nodeLabel(n: TreeNode): string {
  return subjectOf(n);
}

/** The tree drawn with box characters, as flux tree prints it. */
export function drawTree(root: TreeNode): string[] {
  const lines = [label(root)];
  const walk = (node: TreeNode, prefix: string) => {
    node.children.forEach((child, i) => {
      const last = i === node.children.length - 1;
      lines.push(`${prefix}${last ? "└── " : "├── "}${label(child)}`);
      walk(child, `${prefix}${last ? "    " : "│   "}`);
    });
  };
  walk(root, "");
  return lines;
}

function label(n: TreeNode): string {
  const notes = [n.cluster ? `on ${n.cluster}` : "", n.note ?? ""].filter(Boolean);
  return notes.length ? `${nodeLabel(n)} (${notes.join("; ")})` : nodeLabel(n);
}
