import { stringify } from "yaml";

/** Options of kwok's KwokConfiguration; every parallelism must be above 0 or kwok exits. */
export const kwokOptions = {
  cidr: "10.0.0.1/24",
  nodeIP: "127.0.0.1",
  manageAllNodes: false,
  manageNodesWithAnnotationSelector: "kwok.x-k8s.io/node=fake",
  podPlayStageParallelism: 4,
  nodePlayStageParallelism: 4,
  nodeLeaseDurationSeconds: 40,
  nodeLeaseParallelism: 4,
  podsOnNodeSyncParallelism: 1,
  enablePodsOnNodeSyncListPager: true,
  enablePodsOnNodeSyncStreamWatch: false,
  // Serves pod logs (kwok's default when it has no config file; off when one leaves it out).
  enableDebuggingHandlers: true,
};

/**
 * kwok's --config file: a KwokConfiguration followed by the Stage documents (YAML text, as shipped in
 * kwok's module) that drive fake nodes and pods.
 */
export function renderKwokConfig(stages: string[], serverAddress?: string): string {
  const config = stringify({
    apiVersion: "config.kwok.x-k8s.io/v1alpha1",
    kind: "KwokConfiguration",
    options: serverAddress ? { ...kwokOptions, serverAddress } : kwokOptions,
  });
  const docs = stages.flatMap((s) =>
    s.split(/^---\s*$/m).map((d) => d.trim()).filter((d) => d.length > 0 && !/^(#.*\n?)*$/.test(d))
  );
  return [config.trim(), ...docs].join("\n---\n") + "\n";
}
