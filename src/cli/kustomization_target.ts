import type { Command } from "commander";
import type { Kustomization } from "../api/kustomize/kustomization.ts";
import { kubeconfigFromSecret } from "../kustomize/kubeconfig_secret.ts";
import { ApiError } from "../runtime/kube/api_error.ts";
import { parseKubeconfig } from "../runtime/kube/parse_kubeconfig.ts";
import { reachRemote } from "../runtime/remote/reach_remote.ts";
import { RemoteCluster } from "../runtime/remote/remote_cluster.ts";
import { CliError } from "./cli_error.ts";
import type { Cluster } from "./open_cluster.ts";

/** The controller's --insecure-kubeconfig-* flags, for CLI commands that follow spec.kubeConfig. */
export interface RemoteKubeconfigFlags {
  insecureKubeconfigExec?: boolean;
  insecureKubeconfigTls?: boolean;
}

/** Adds --insecure-kubeconfig-exec and --insecure-kubeconfig-tls, with the controller's meaning. */
export function withRemoteKubeconfigFlags(cmd: Command): Command {
  return cmd
    .option("--insecure-kubeconfig-exec", "for spec.kubeConfig: run the kubeconfig's exec credential plugin (a command named by a Secret) on this machine")
    .option("--insecure-kubeconfig-tls", "for spec.kubeConfig: honour insecure-skip-tls-verify and http:// servers");
}

const secretsRef = { group: "", version: "v1", resource: "secrets", kind: "Secret", namespaced: true };

/**
 * The cluster a Kustomization's objects are on: `cluster` itself, or, with spec.kubeConfig.secretRef,
 * the remote cluster its kubeconfig names, reached with that kubeconfig's credentials. The Secret is
 * read from `cluster` as its user. Every failure (no Secret, no key, a refused kubeconfig, an
 * unreachable server) is a one-line CliError. Close the answer when it is not `cluster`.
 */
export async function kustomizationTarget(cluster: Cluster, ks: Kustomization, flags: RemoteKubeconfigFlags): Promise<Cluster> {
  const ref = ks.spec.kubeConfig;
  if (!ref) return cluster;
  const ns = ks.metadata.namespace;
  const who = `Kustomization ${ns}/${ks.metadata.name}`;
  if (!ref.secretRef) {
    throw new CliError(`${who}: spec.kubeConfig without a secretRef (cloud workload identity) is not supported by Sluice`);
  }
  let secret: { data?: Record<string, string> } | undefined;
  try {
    secret = await cluster.api.find(secretsRef, ns, ref.secretRef.name);
  } catch (err) {
    const reason = err instanceof ApiError && err.reason ? ` (${err.reason})` : "";
    throw new CliError(`${who}: unable to read KubeConfig secret '${ns}/${ref.secretRef.name}'${reason}: ${(err as Error).message}`);
  }
  let origin: string;
  let remote: RemoteCluster;
  try {
    const source = kubeconfigFromSecret(ks, secret);
    origin = source.origin;
    try {
      const conn = parseKubeconfig(source.text, { allowExec: flags.insecureKubeconfigExec, allowInsecureTls: flags.insecureKubeconfigTls });
      remote = new RemoteCluster(conn, { qps: 0, userAgent: "sluice-cli" });
    } catch (err) {
      throw new Error(`${origin}: invalid kubeconfig: ${(err as Error).message}`);
    }
  } catch (err) {
    throw new CliError(`${who}: ${(err as Error).message}`);
  }
  try {
    await reachRemote(remote, origin);
  } catch (err) {
    await remote.close().catch(() => undefined);
    throw new CliError(`${who}: ${(err as Error).message}`);
  }
  return { api: remote.api, client: remote.client, server: remote.server, namespace: cluster.namespace, close: () => remote.close() };
}

/**
 * Runs `fn` on the Kustomization's target cluster, closing it after when it is a remote one. A
 * failure there is one line naming the remote server (the CLI's hints about --context do not apply).
 */
export async function onKustomizationTarget<R>(cluster: Cluster, ks: Kustomization, flags: RemoteKubeconfigFlags, fn: (target: Cluster) => Promise<R>): Promise<R> {
  const target = await kustomizationTarget(cluster, ks, flags);
  try {
    return await fn(target);
  } catch (err) {
    if (target === cluster || err instanceof CliError) throw err;
    throw new CliError(`Kustomization ${ks.metadata.namespace}/${ks.metadata.name} on ${target.server}: ${(err as Error).message.split("\n")[0]}`);
  } finally {
    if (target !== cluster) await target.close().catch(() => undefined);
  }
}

