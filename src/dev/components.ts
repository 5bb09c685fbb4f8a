/** The Go-built binaries the local control plane and the controllers need, pinned. */
export interface Component {
  /** Cache key, also the name shown in progress lines. */
  name: string;
  version: string;
  /** Module that the throwaway build module requires. */
  module: string;
  /** Binary name → main package path. */
  binaries: Record<string, string>;
  /** k8s.io/kubernetes needs its staging replaces rewritten to published modules. */
  kubernetesStaging?: boolean;
  /** -X flags stamped into the binaries. */
  stamp?: (buildDate: string) => string[];
}

const kubernetesVersion = "v1.37.2";

function kubernetesStamp(buildDate: string): string[] {
  const fields: Record<string, string> = {
    gitVersion: kubernetesVersion,
    gitMajor: "1",
    gitMinor: "37",
    gitTreeState: "clean",
    gitCommit: "0000000000000000000000000000000000000000",
    buildDate,
  };
  const packages = ["k8s.io/component-base/version", "k8s.io/client-go/pkg/version"];
  return packages.flatMap((pkg) => Object.entries(fields).map(([k, v]) => `-X ${pkg}.${k}=${v}`));
}

export const components: Component[] = [
  {
    name: "etcd",
    version: "v3.7.3",
    module: "go.etcd.io/etcd/server/v3",
    binaries: { etcd: "go.etcd.io/etcd/server/v3" },
  },
  {
    name: "kubernetes",
    version: kubernetesVersion,
    module: "k8s.io/kubernetes",
    binaries: {
      "kube-apiserver": "k8s.io/kubernetes/cmd/kube-apiserver",
      "kube-controller-manager": "k8s.io/kubernetes/cmd/kube-controller-manager",
      "kube-scheduler": "k8s.io/kubernetes/cmd/kube-scheduler",
    },
    kubernetesStaging: true,
    stamp: kubernetesStamp,
  },
  {
    name: "kwok",
    version: "v0.8.0",
    module: "sigs.k8s.io/kwok",
    binaries: { kwok: "sigs.k8s.io/kwok/cmd/kwok" },
  },
  {
    name: "kustomize",
    version: "v5.8.2",
    module: "sigs.k8s.io/kustomize/kustomize/v5",
    binaries: { kustomize: "sigs.k8s.io/kustomize/kustomize/v5" },
  },
  {
    name: "helm",
    version: "v4.3.1",
    module: "helm.sh/helm/v4",
    binaries: { helm: "helm.sh/helm/v4/cmd/helm" },
  },
];

export function componentByName(name: string): Component {
  const found = components.find((c) => c.name === name);
  if (!found) throw new Error(`unknown component ${name}`);
  return found;
}
