import type { KubeObject } from "../api/meta.ts";

/** One node of `sluice tree`: an object and what it applied. */
export interface TreeNode {
  kind: string;
  group: string;
  name: string;
  /** Empty for cluster-scoped objects. */
  namespace: string;
  /** Set when the node could not be expanded (e.g. a child Kustomization that is gone). */
  note?: string;
  children: TreeNode[];
}

/** An inventory entry id: <namespace>_<name>_<group>_<kind> (names and groups never hold "_"). */
export function parseInventoryId(id: string): Omit<TreeNode, "children"> | undefined {
  const parts = id.split("_");
  if (parts.length !== 4) return undefined;
  const [namespace, name, group, kind] = parts;
  return { namespace, name, group, kind };
}

export function inventoryOf(obj: KubeObject): TreeNode[] {
  const entries = (obj.status as { inventory?: { entries?: Array<{ id: string }> } } | undefined)?.inventory?.entries ?? [];
  return entries.flatMap((e) => {
    const node = parseInventoryId(e.id);
    return node ? [{ ...node, children: [] }] : [];
  });
}

/** Kind/namespace/name, or Kind/name for cluster-scoped objects. */
export function nodeLabel(n: TreeNode): string {
  return n.namespace ? `${n.kind}/${n.namespace}/${n.name}` : `${n.kind}/${n.name}`;
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
  return n.note ? `${nodeLabel(n)} (${n.note})` : nodeLabel(n);
}
