import { Command, Option } from "commander";
import { stringify } from "yaml";
import type { Kustomization } from "../api/kustomize/kustomization.ts";
import type { KubeObject } from "../api/meta.ts";
import { apiVersionOf } from "../runtime/apply/object_id.ts";
import { ApiError, isNotFound } from "../runtime/kube/api_error.ts";
import { UnknownKindError } from "../runtime/kube/discovery.ts";
import { CliError } from "./cli_error.ts";
import { kindByName } from "./cli_kinds.ts";
import { type ClusterFlags, withClusterFlags } from "./cluster_flags.ts";
import { getObject } from "./find_objects.ts";
import { drawTree, inventoryOf, nodeLabel, type TreeNode } from "./inventory_tree.ts";
import { kustomizationTarget, type RemoteKubeconfigFlags, withRemoteKubeconfigFlags } from "./kustomization_target.ts";
import { type OutputFormat, parseOutputFlag } from "./object_output.ts";
import type { Cluster } from "./open_cluster.ts";
import { resolveVerbKinds } from "./resolve_kind_words.ts";
import { runWithCluster } from "./run_with_cluster.ts";

interface TreeFlags extends ClusterFlags, RemoteKubeconfigFlags {
  compact?: boolean;
  output?: OutputFormat;
}

const kustomizeGroup = "kustomize.toolkit.fluxcd.io";

const examples = `
Examples:
  sluice tree ks flux-system                 # everything flux-system applied, nested Kustomizations expanded
  sluice tree ks apps --compact -o yaml
  sluice tree ks edge                        # spec.kubeConfig: what edge applied, looked up on the cluster its Secret names
`;

export function treeCommand(): Command {
  const cmd = new Command("tree")
    .description("show what a Kustomization applied as a tree, expanding the Kustomizations it applied")
    .argument("<kind...>", "kustomization (ks), then the name")
    .option("--compact", "only Flux objects")
    .addOption(new Option("-o, --output <format>", "print the tree as yaml or json").argParser(parseOutputFlag));
  withRemoteKubeconfigFlags(withClusterFlags(cmd));
  return cmd.addHelpText("after", examples).action(async (words: string[], flags: TreeFlags) => {
    const { kinds, rest } = resolveVerbKinds(words, "tree");
    if (rest.length !== 1) throw new CliError(`sluice tree needs exactly one name, got ${rest.length ? rest.join(" ") : "none"}`);
    await runWithCluster(flags, async (cluster) => {
      const root = await getObject(cluster, kinds[0], flags.namespace, rest[0]);
      const tree: TreeNode = { kind: "Kustomization", group: kustomizeGroup, name: rest[0], namespace: flags.namespace, children: [] };
      const seen = new Set([`${cluster.server}|${nodeLabel(tree)}`]);
      tree.children = await expandInventory(cluster, tree, root, seen, { flags, remote: false, nested: false });
      const shown = flags.compact ? compact(tree) : tree;
      if (flags.output === "json") process.stdout.write(`${JSON.stringify(asData(shown), null, 2)}\n`);
      else if (flags.output === "yaml") process.stdout.write(stringify(asData(shown)));
      else process.stdout.write(`${drawTree(shown).join("\n")}\n`);
    });
  });
}

interface Walk {
  flags: RemoteKubeconfigFlags;
  /** Whether `where` is a cluster reached through a spec.kubeConfig (its objects are then checked to exist). */
  remote: boolean;
  /** Below the root: a remote cluster that cannot be reached is a note on its Kustomization, not the command's failure. */
  nested: boolean;
}

/**
 * The children of `node` (the Kustomization `obj`, read from `where`): its inventory, looked up on
 * the cluster its spec.kubeConfig names (read from `where`), else on `where` itself.
 */
async function expandInventory(where: Cluster, node: TreeNode, obj: KubeObject, seen: Set<string>, walk: Walk): Promise<TreeNode[]> {
  const inventory = inventoryOf(obj);
  if (!(obj as Kustomization).spec?.kubeConfig) return expand(where, inventory, seen, walk);
  let target: Cluster;
  try {
    target = await kustomizationTarget(where, obj as Kustomization, walk.flags);
  } catch (err) {
    if (!walk.nested) throw err;
    node.note = (err as Error).message;
    return inventory;
  }
  node.cluster = target.server;
  try {
    return await expand(target, inventory, seen, { ...walk, remote: true, nested: true });
  } finally {
    if (target !== where) await target.close().catch(() => undefined);
  }
}

/**
 * Follows nested Kustomizations (on the cluster their parent applied them to) into their own
 * inventories; a cycle or a missing child is noted, not followed. On a remote cluster every object
 * is looked up, and one that is not there is noted.
 */
async function expand(where: Cluster, nodes: TreeNode[], seen: Set<string>, walk: Walk): Promise<TreeNode[]> {
  const ks = kindByName("Kustomization")!;
  for (const node of nodes) {
    if (node.kind !== "Kustomization" || node.group !== kustomizeGroup) {
      if (walk.remote) await noteIfMissing(where, node);
      continue;
    }
    const label = `${where.server}|${nodeLabel(node)}`;
    if (seen.has(label)) {
      node.note = "cycle";
      continue;
    }
    try {
      const child = await where.api.get(ks.ref, node.namespace, node.name);
      node.children = await expandInventory(where, node, child, new Set([...seen, label]), { ...walk, nested: true });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      node.note = "not found";
    }
  }
  return nodes;
}

async function noteIfMissing(where: Cluster, node: TreeNode): Promise<void> {
  try {
    const ref = await where.api.discovery.resolve(apiVersionOf({ group: node.group, version: node.version ?? "" }), node.kind);
    if (!(await where.api.find(ref, ref.namespaced ? node.namespace : undefined, node.name))) node.note = "not found";
  } catch (err) {
    if (err instanceof UnknownKindError) node.note = "not found";
    else if (err instanceof ApiError && err.code === 403) node.note = "not readable (Forbidden)";
    else throw err;
  }
}

function compact(node: TreeNode): TreeNode {
  return { ...node, children: node.children.filter((c) => c.group.endsWith(".toolkit.fluxcd.io")).map(compact) };
}

interface TreeData {
  resource: { kind: string; name: string; namespace?: string };
  cluster?: string;
  note?: string;
  resources?: TreeData[];
}

function asData(n: TreeNode): TreeData {
  return {
    resource: { kind: n.kind, name: n.name, ...(n.namespace ? { namespace: n.namespace } : {}) },
    ...(n.cluster ? { cluster: n.cluster } : {}),
    ...(n.note ? { note: n.note } : {}),
    ...(n.children.length ? { resources: n.children.map(asData) } : {}),
  };
}
