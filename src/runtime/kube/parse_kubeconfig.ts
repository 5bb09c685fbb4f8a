import { parse } from "yaml";
import { isRecord } from "../../api/is_record.ts";
import { type ExecConfig, parseExecConfig } from "./exec_credential.ts";
import { type ClusterConnection, KubeconfigError } from "./kubeconfig.ts";

const supported =
  "supported credentials are inline: certificate-authority-data, client-certificate-data with client-key-data, token, or username with password";

type Raw = Record<string, unknown>;

/** What a kubeconfig from a Secret may do beyond inline credentials (Flux's flags of the same names). */
export interface KubeconfigPolicy {
  /** --insecure-kubeconfig-exec: run `exec` credential plugins (CVE-2022-24817: off by default). */
  allowExec?: boolean;
  /** --insecure-kubeconfig-tls: honour insecure-skip-tls-verify and plain-HTTP servers. */
  allowInsecureTls?: boolean;
}

/**
 * Reads a kubeconfig held in memory (a Secret's value) into a connection. Only what needs no file is
 * accepted; exec plugins only with `allowExec` (else refused, see CVE-2022-24817), plain-HTTP servers
 * and insecure-skip-tls-verify only with `allowInsecureTls`; auth-providers never. Each refusal is a
 * KubeconfigError saying what to use instead, or which flag allows it.
 */
export function parseKubeconfig(text: string, policy: KubeconfigPolicy = {}): ClusterConnection {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new KubeconfigError(`not valid YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  if (!isRecord(raw) || (raw.clusters === undefined && raw.contexts === undefined)) {
    throw new KubeconfigError("not a kubeconfig: it has neither clusters nor contexts");
  }
  const contexts = named(raw.contexts, "contexts");
  const current = raw["current-context"];
  let ctx: Raw;
  if (typeof current === "string" && current) {
    const found = contexts.find((c) => c.name === current);
    if (!found) throw new KubeconfigError(`current-context "${current}" is not one of its contexts`);
    ctx = found;
  } else if (contexts.length === 1) ctx = contexts[0];
  else throw new KubeconfigError(contexts.length ? `it has no current-context and ${contexts.length} contexts to choose from` : "it has no contexts");
  const context = isRecord(ctx.context) ? ctx.context : {};
  const contextName = String(ctx.name);

  const clusterName = context.cluster;
  const clusterEntry = named(raw.clusters, "clusters").find((c) => c.name === clusterName);
  if (!clusterEntry) throw new KubeconfigError(`context "${contextName}" names cluster "${String(clusterName ?? "")}", which it does not define`);
  const cluster = isRecord(clusterEntry.cluster) ? clusterEntry.cluster : {};
  const server = serverOf(cluster.server, String(clusterName), policy.allowInsecureTls === true);
  const insecure = cluster["insecure-skip-tls-verify"] === true;
  if (insecure && !policy.allowInsecureTls) {
    throw new KubeconfigError(
      `cluster "${String(clusterName)}" sets insecure-skip-tls-verify, which is refused without --insecure-kubeconfig-tls: give its CA in certificate-authority-data`,
    );
  }
  if (cluster["certificate-authority"] !== undefined) throw fileReference(`cluster "${String(clusterName)}"`, "certificate-authority", cluster["certificate-authority"]);
  for (const key of ["proxy-url", "tls-server-name"]) {
    if (cluster[key] !== undefined) throw new KubeconfigError(`cluster "${String(clusterName)}" sets ${key}, which Sluice does not support`);
  }
  const ca = pem(cluster["certificate-authority-data"], `cluster "${String(clusterName)}" certificate-authority-data`, "CERTIFICATE");

  const userName = context.user;
  let user: Raw = {};
  if (userName !== undefined && userName !== "") {
    const entry = named(raw.users, "users").find((u) => u.name === userName);
    if (!entry) throw new KubeconfigError(`context "${contextName}" names user "${String(userName)}", which it does not define`);
    user = isRecord(entry.user) ? entry.user : {};
  }
  const who = `user "${String(userName ?? "")}"`;
  let exec: ExecConfig | undefined;
  if (user.exec !== undefined) {
    const command = isRecord(user.exec) && typeof user.exec.command === "string" ? ` (${user.exec.command})` : "";
    if (!policy.allowExec) {
      throw new KubeconfigError(`${who} runs an exec credential plugin${command}, which is refused without --insecure-kubeconfig-exec: ${supported}`);
    }
    exec = parseExecConfig(user.exec, who, execClusterInfo(server, cluster, insecure));
  }
  if (user["auth-provider"] !== undefined) {
    const name = isRecord(user["auth-provider"]) && typeof user["auth-provider"].name === "string" ? ` "${user["auth-provider"].name}"` : "";
    throw new KubeconfigError(`${who} uses the auth-provider${name}, which Sluice does not support (not even with --insecure-kubeconfig-exec): ${supported}`);
  }
  for (const key of ["client-certificate", "client-key", "tokenFile"]) {
    if (user[key] !== undefined) throw fileReference(who, key, user[key]);
  }
  for (const key of ["as", "as-uid", "as-groups", "as-user-extra"]) {
    if (user[key] !== undefined) throw new KubeconfigError(`${who} sets ${key}: impersonation in the kubeconfig is not supported (use spec.serviceAccountName)`);
  }
  const cert = pem(user["client-certificate-data"], `${who} client-certificate-data`, "CERTIFICATE");
  const key = pem(user["client-key-data"], `${who} client-key-data`, "PRIVATE KEY");
  if (!cert !== !key) throw new KubeconfigError(`${who} needs both client-certificate-data and client-key-data, or neither`);
  if (exec && (cert || user.token !== undefined || user.username !== undefined)) {
    throw new KubeconfigError(`${who} has both an exec credential plugin and inline credentials: keep one`);
  }
  const token = optionalString(user.token, `${who} token`);
  const username = optionalString(user.username, `${who} username`);
  const password = optionalString(user.password, `${who} password`);
  if (password !== undefined && username === undefined) throw new KubeconfigError(`${who} has a password but no username`);
  return {
    server,
    ca,
    cert,
    key,
    token: token || undefined,
    username,
    password: username !== undefined ? (password ?? "") : undefined,
    insecureSkipTlsVerify: insecure || undefined,
    exec,
    namespace: typeof context.namespace === "string" && context.namespace ? context.namespace : "default",
    context: contextName,
  };
}

/** spec.cluster of KUBERNETES_EXEC_INFO (for provideClusterInfo), as client-go fills it. */
function execClusterInfo(server: string, cluster: Raw, insecure: boolean): Record<string, unknown> {
  const extensions = named(cluster.extensions, "extensions");
  const config = extensions.find((e) => e.name === "client.authentication.k8s.io/exec")?.extension;
  return {
    server,
    ...(typeof cluster["certificate-authority-data"] === "string" ? { "certificate-authority-data": cluster["certificate-authority-data"] } : {}),
    ...(insecure ? { "insecure-skip-tls-verify": true } : {}),
    ...(config !== undefined ? { config } : {}),
  };
}

function named(v: unknown, what: string): Raw[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new KubeconfigError(`${what} is not a list`);
  return v.filter(isRecord);
}

function serverOf(v: unknown, cluster: string, allowHttp: boolean): string {
  if (typeof v !== "string" || !v) throw new KubeconfigError(`cluster "${cluster}" has no server`);
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new KubeconfigError(`cluster "${cluster}" server ${JSON.stringify(v)} is not a URL`);
  }
  if (url.protocol === "http:" && !allowHttp) {
    throw new KubeconfigError(`cluster "${cluster}" server ${v} is plain HTTP, which is refused without --insecure-kubeconfig-tls: API servers are reached over https`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new KubeconfigError(`cluster "${cluster}" server ${JSON.stringify(v)} is not an https:// URL`);
  return v.replace(/\/+$/, "");
}

function fileReference(owner: string, key: string, path: unknown): KubeconfigError {
  return new KubeconfigError(`${owner} refers to a file (${key}: ${String(path)}), which a kubeconfig in a Secret cannot use: ${supported}`);
}

function optionalString(v: unknown, what: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new KubeconfigError(`${what} is not a string`);
  return v;
}

/** Base64 PEM data; the label check catches a value that is not base64 of the expected PEM block. */
function pem(v: unknown, what: string, label: string): Buffer | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v !== "string") throw new KubeconfigError(`${what} is not a string`);
  const data = Buffer.from(v, "base64");
  const text = data.toString("latin1");
  if (!text.includes("-----BEGIN ") || !text.includes(label)) throw new KubeconfigError(`${what} is not base64 of a PEM ${label}`);
  return data;
}
