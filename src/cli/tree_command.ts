import { Command, Option } from "commander";
import { stringify } from "yaml";
import { isNotFound } from "../runtime/kube/api_error.ts";
import { CliError } from "./cli_error.ts";
import { kindByName } from "./cli_kinds.ts";
import { type ClusterFlags, withClusterFlags } from "./cluster_flags.ts";
import { getObject } from "./find_objects.ts";
import { drawTree, inventoryOf, nodeLabel, type TreeNode } from "./inventory_tree.ts";
import { type OutputFormat, parseOutputFlag } from "./object_output.ts";
import type { Cluster } from "./open_cluster.ts";
import { resolveKindWords } from "./resolve_kind_words.ts";
import { runWithCluster } from "./run_with_cluster.ts";

interface TreeFlags extends ClusterFlags {
  compact?: boolean;
  output?: OutputFormat;
}

const kustomizeGroup = "kustomize.toolkit.fluxcd.io";

const examples = `
Examples:
  sluice tree ks flux-system                 # everything flux-system applied, nested Kustomizations expanded
  sluice tree ks apps --compact -o yaml
`;

export function treeCommand(): Command {
  const cmd = new Command("tree")
    .description("show what a Kustomization applied as a tree, expanding the Kustomizations it applied")
    .argument("<kind...>", "kustomization (ks), then the name")
    .option("--compact", "only Flux objects")
    .addOption(new Option("-o, --output <format>", "print the tree as yaml or json").argParser(parseOutputFlag));
  withClusterFlags(cmd);
  return cmd.addHelpText("after", examples).action(async (words: string[], flags: TreeFlags) => {
    const { kinds, rest } = resolveKindWords(words, { verb: "tree", accepts: (k) => k.def.kind === "Kustomization" });
    if (rest.length !== 1) throw new CliError(`sluice tree needs exactly one name, got ${rest.length ? rest.join(" ") : "none"}`);
    await runWithCluster(flags, async (cluster) => {
      const root = await getObject(cluster, kinds[0], flags.namespace, rest[0]);
      const tree: TreeNode = { kind: "Kustomization", group: kustomizeGroup, name: rest[0], namespace: flags.namespace, children: [] };
      tree.children = await expand(cluster, inventoryOf(root), new Set([nodeLabel(tree)]));
      const shown = flags.compact ? compact(tree) : tree;
      if (flags.output === "json") process.stdout.write(`${JSON.stringify(asData(shown), null, 2)}\n`);
      else if (flags.output === "yaml") process.stdout.write(stringify(asData(shown)));
      else process.stdout.write(`${drawTree(shown).join("\n")}\n`);
    });
  });
}

/** Follows nested Kustomizations into their own inventories; a cycle or a missing child is noted, not followed. */
async function expand(cluster: Cluster, nodes: TreeNode[], seen: Set<string>): Promise<TreeNode[]> {
  const ks = kindByName("Kustomization")!;
  for (const node of nodes) {
    if (node.kind !== "Kustomization" || node.group !== kustomizeGroup) continue;
    const label = nodeLabel(node);
    if (seen.has(label)) {
      node.note = "cycle";
      continue;
    }
    try {
      const child = await cluster.api.get(ks.ref, node.namespace, node.name);
      node.children = await expand(cluster, inventoryOf(child), new Set([...seen, label]));
    } catch (err) {
      if (!isNotFound(err)) throw err;
      node.note = "not found";
    }
  }
  return nodes;
}

function compact(node: TreeNode): TreeNode {
  return { ...node, children: node.children.filter((c) => c.group.endsWith(".toolkit.fluxcd.io")).map(compact) };
}

interface TreeData {
  resource: { kind: string; name: string; namespace?: string };
  note?: string;
  resources?: TreeData[];
}

function asData(n: TreeNode): TreeData {
  return {
    resource: { kind: n.kind, name: n.name, ...(n.namespace ? { namespace: n.namespace } : {}) },
    ...(n.note ? { note: n.note } : {}),
    ...(n.children.length ? { resources: n.children.map(asData) } : {}),
  };
}
