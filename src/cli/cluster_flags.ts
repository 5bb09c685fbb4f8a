import { type Command, InvalidArgumentError, Option } from "commander";
import { parseDurationFlag } from "./flag_parsers.ts";

/** The kubectl-style connection flags every cluster command takes. */
export interface ClusterFlags {
  kubeconfig?: string;
  context?: string;
  namespace: string;
  allNamespaces?: boolean;
  /** Milliseconds. */
  timeout: number;
}

/** Flux's default namespace, overridable like flux with FLUX_SYSTEM_NAMESPACE. */
export function defaultNamespace(): string {
  return process.env.FLUX_SYSTEM_NAMESPACE || "flux-system";
}

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function parseNamespaceFlag(value: string): string {
  if (value.length > 63 || !dnsLabel.test(value)) {
    throw new InvalidArgumentError(`${JSON.stringify(value)} is not a valid namespace name: want lower-case letters, digits and '-'`);
  }
  return value;
}

/** Adds --kubeconfig, --context, -n, --timeout (and -A when the verb lists). */
export function withClusterFlags(cmd: Command, opts: { allNamespaces?: boolean; timeout?: string } = {}): Command {
  cmd
    .option("--kubeconfig <path>", "kubeconfig file (default: $KUBECONFIG, then the `sluice dev` cluster, then ~/.kube/config)")
    .option("--context <name>", "kubeconfig context to use")
    .addOption(
      new Option("-n, --namespace <namespace>", "namespace of the objects")
        .default(defaultNamespace())
        .argParser(parseNamespaceFlag),
    )
    .addOption(
      new Option("--timeout <duration>", "how long to wait for the cluster, e.g. 30s, 5m")
        .default(parseDurationFlag(opts.timeout ?? "5m"), opts.timeout ?? "5m")
        .argParser(parseDurationFlag),
    );
  if (opts.allNamespaces) cmd.option("-A, --all-namespaces", "act on every namespace");
  return cmd;
}
