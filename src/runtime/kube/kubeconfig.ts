import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, join } from "node:path";
import { parse } from "yaml";
import type { ExecConfig } from "./exec_credential.ts";

/** Where and how to reach one API server, resolved from a kubeconfig or the in-cluster environment. */
export interface ClusterConnection {
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
  /** Re-read for in-cluster tokens, which the kubelet rotates. */
  tokenFile?: string;
  /** Basic authentication (kubeconfig username and password). */
  username?: string;
  password?: string;
  insecureSkipTlsVerify?: boolean;
  /** A credential plugin run for the token or client certificate (only with --insecure-kubeconfig-exec). */
  exec?: ExecConfig;
  namespace: string;
  context?: string;
}

export class KubeconfigError extends Error {}

interface RawKubeconfig {
  "current-context"?: string;
  contexts?: Array<{ name: string; context: { cluster: string; user: string; namespace?: string } }>;
  clusters?: Array<{
    name: string;
    cluster: {
      server: string;
      "certificate-authority"?: string;
      "certificate-authority-data"?: string;
      "insecure-skip-tls-verify"?: boolean;
    };
  }>;
  users?: Array<{
    name: string;
    user: {
      "client-certificate"?: string;
      "client-certificate-data"?: string;
      "client-key"?: string;
      "client-key-data"?: string;
      token?: string;
      tokenFile?: string;
    };
  }>;
}

export interface LoadOptions {
  kubeconfig?: string;
  context?: string;
  /** Tried after --kubeconfig and KUBECONFIG, before ~/.kube/config. */
  fallbackPaths?: string[];
}

const serviceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";

/** Resolves a connection the way kubectl does: --kubeconfig, KUBECONFIG, in-cluster, then ~/.kube/config. */
export function loadConnection(opts: LoadOptions = {}): ClusterConnection {
  const explicit = explicitKubeconfig(opts);
  if (explicit) return fromKubeconfigFile(explicit, opts.context);
  if (process.env.KUBERNETES_SERVICE_HOST && existsSync(join(serviceAccountDir, "token"))) return inCluster();
  const file = kubeconfigFile(opts);
  if (file) return fromKubeconfigFile(file, opts.context);
  throw new KubeconfigError(
    "no cluster configured: pass --kubeconfig, set KUBECONFIG, or run `sluice dev up` for a local cluster",
  );
}

/**
 * The kubeconfig file loadConnection reads when not in a cluster: --kubeconfig, KUBECONFIG, the
 * fallbacks, then ~/.kube/config; undefined when there is none.
 */
export function kubeconfigFile(opts: LoadOptions = {}): string | undefined {
  return explicitKubeconfig(opts) ?? [...(opts.fallbackPaths ?? []), join(homedir(), ".kube", "config")].find((p) => existsSync(p));
}

function explicitKubeconfig(opts: LoadOptions): string | undefined {
  return opts.kubeconfig ?? process.env.KUBECONFIG?.split(":").find((p) => p && existsSync(p));
}

function inCluster(): ClusterConnection {
  const host = process.env.KUBERNETES_SERVICE_HOST!;
  const port = process.env.KUBERNETES_SERVICE_PORT ?? "443";
  return {
    server: `https://${host.includes(":") ? `[${host}]` : host}:${port}`,
    ca: readFileSync(join(serviceAccountDir, "ca.crt")),
    tokenFile: join(serviceAccountDir, "token"),
    namespace: readFileSync(join(serviceAccountDir, "namespace"), "utf8").trim(),
  };
}

export function fromKubeconfigFile(path: string, contextName?: string): ClusterConnection {
  let raw: RawKubeconfig;
  try {
    raw = parse(readFileSync(path, "utf8")) as RawKubeconfig;
  } catch (err) {
    throw new KubeconfigError(`cannot read kubeconfig ${path}: ${(err as Error).message}`);
  }
  const name = contextName ?? raw["current-context"];
  const ctx = raw.contexts?.find((c) => c.name === name);
  if (!ctx) throw new KubeconfigError(`kubeconfig ${path} has no context ${JSON.stringify(name ?? "")}`);
  const cluster = raw.clusters?.find((c) => c.name === ctx.context.cluster)?.cluster;
  if (!cluster) throw new KubeconfigError(`kubeconfig ${path}: context ${name} names unknown cluster ${ctx.context.cluster}`);
  const user = raw.users?.find((u) => u.name === ctx.context.user)?.user ?? {};
  const base = dirname(path);
  const file = (p: string) => readFileSync(isAbsolute(p) ? p : join(base, p));
  const data = (inline: string | undefined, ref: string | undefined) =>
    inline ? Buffer.from(inline, "base64") : ref ? file(ref) : undefined;
  return {
    server: cluster.server.replace(/\/$/, ""),
    ca: data(cluster["certificate-authority-data"], cluster["certificate-authority"]),
    insecureSkipTlsVerify: cluster["insecure-skip-tls-verify"],
    cert: data(user["client-certificate-data"], user["client-certificate"]),
    key: data(user["client-key-data"], user["client-key"]),
    token: user.token,
    tokenFile: user.tokenFile,
    namespace: ctx.context.namespace ?? "default",
    context: name,
  };
}
