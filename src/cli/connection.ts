import { devKubeconfigPath } from "../dev/paths.ts";

/** The dev cluster's kubeconfig, tried when nothing else names a cluster. */
export function devKubeconfigFallback(): string[] {
  return [devKubeconfigPath()];
}
