import { spawn } from "node:child_process";
import { isAbsolute } from "node:path";
import { isRecord } from "../../api/is_record.ts";
import { KubeconfigError } from "./kubeconfig.ts";

const apiVersions = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"];

/** A kubeconfig user's `exec` entry: a client-go credential plugin (client.authentication.k8s.io v1 or v1beta1). */
export interface ExecConfig {
  apiVersion: string;
  command: string;
  args: string[];
  env: Array<{ name: string; value: string }>;
  /** Never or IfAvailable: a controller has no terminal, so it always runs the plugin non-interactively. */
  interactiveMode?: string;
  installHint?: string;
  /** Send the cluster (server, CA, the cluster's exec extension) to the plugin in KUBERNETES_EXEC_INFO. */
  provideClusterInfo: boolean;
  /** What KUBERNETES_EXEC_INFO carries as spec.cluster when provideClusterInfo is set. */
  cluster?: Record<string, unknown>;
}

/** What a plugin answered: a bearer token, or a client certificate and key (PEM), until `expiresAt` (ms) if given. */
export interface ExecCredential {
  token?: string;
  cert?: Buffer;
  key?: Buffer;
  expiresAt?: number;
}

/** Validates a kubeconfig `user.exec` entry; `who` names the user in messages. */
export function parseExecConfig(raw: unknown, who: string, cluster?: Record<string, unknown>): ExecConfig {
  if (!isRecord(raw)) throw new KubeconfigError(`${who} exec is not a map`);
  const apiVersion = raw.apiVersion;
  if (typeof apiVersion !== "string" || !apiVersions.includes(apiVersion)) {
    throw new KubeconfigError(`${who} exec apiVersion ${JSON.stringify(apiVersion ?? "")} is not supported: use ${apiVersions.join(" or ")}`);
  }
  const command = raw.command;
  if (typeof command !== "string" || !command) throw new KubeconfigError(`${who} exec has no command`);
  // Relative paths resolve against the kubeconfig's folder in kubectl; a Secret has none.
  if (command.includes("/") && !isAbsolute(command)) {
    throw new KubeconfigError(`${who} exec command ${JSON.stringify(command)} is a relative path: give an absolute path or a name found on PATH`);
  }
  const args = raw.args ?? [];
  if (!Array.isArray(args) || !args.every((a) => typeof a === "string")) throw new KubeconfigError(`${who} exec args is not a list of strings`);
  const env = raw.env ?? [];
  if (!Array.isArray(env) || !env.every((e) => isRecord(e) && typeof e.name === "string" && typeof e.value === "string")) {
    throw new KubeconfigError(`${who} exec env is not a list of {name, value} strings`);
  }
  const mode = raw.interactiveMode;
  if (mode === undefined && apiVersion.endsWith("/v1")) {
    throw new KubeconfigError(`${who} exec needs interactiveMode (Never or IfAvailable) with ${apiVersion}`);
  }
  if (mode !== undefined && mode !== "Never" && mode !== "IfAvailable") {
    throw new KubeconfigError(`${who} exec interactiveMode ${JSON.stringify(mode)} cannot be honoured: the plugin runs without a terminal (use Never or IfAvailable)`);
  }
  return {
    apiVersion,
    command,
    args: args as string[],
    env: env as ExecConfig["env"],
    interactiveMode: mode as string | undefined,
    installHint: typeof raw.installHint === "string" ? raw.installHint : undefined,
    provideClusterInfo: raw.provideClusterInfo === true,
    cluster,
  };
}

const timeoutMs = 60_000;
const maxOutput = 1024 * 1024;

/**
 * Runs the plugin once, without a shell and without stdin (non-interactive), with KUBERNETES_EXEC_INFO
 * set, and reads the ExecCredential it prints. Every failure is an Error naming the command.
 */
export function runExecPlugin(config: ExecConfig): Promise<ExecCredential> {
  const name = `exec credential plugin ${JSON.stringify(config.command)}`;
  const info = {
    apiVersion: config.apiVersion,
    kind: "ExecCredential",
    spec: { interactive: false, ...(config.provideClusterInfo && config.cluster ? { cluster: config.cluster } : {}) },
  };
  const env: Record<string, string | undefined> = { ...process.env };
  for (const e of config.env) env[e.name] = e.value;
  env.KUBERNETES_EXEC_INFO = JSON.stringify(info);
  return new Promise((resolve, reject) => {
    const child = spawn(config.command, config.args, { env, stdio: ["ignore", "pipe", "pipe"], shell: false, timeout: timeoutMs });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out.length < maxOutput ? (out += d.toString("utf8")) : undefined));
    child.stderr.on("data", (d: Buffer) => (err.length < maxOutput ? (err += d.toString("utf8")) : undefined));
    child.on("error", (e: NodeJS.ErrnoException) => {
      const hint = config.installHint ? `: ${config.installHint.trim()}` : "";
      reject(new Error(e.code === "ENOENT" ? `${name} not found${hint}` : `${name} could not start: ${e.message}`));
    });
    child.on("close", (code, signal) => {
      const lastErr = err.trim().split("\n").pop();
      if (signal) return reject(new Error(`${name} was killed (${signal})${signal === "SIGTERM" ? ` after ${timeoutMs / 1000}s` : ""}`));
      if (code !== 0) return reject(new Error(`${name} exited with code ${code}${lastErr ? `: ${lastErr}` : ""}`));
      try {
        resolve(parseExecOutput(out, config.apiVersion));
      } catch (e) {
        reject(new Error(`${name}: ${(e as Error).message}`));
      }
    });
  });
}

/** The credential in a plugin's stdout, checked as client-go checks it. */
export function parseExecOutput(text: string, apiVersion: string): ExecCredential {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error("did not print an ExecCredential (its output is not JSON)");
  }
  if (!isRecord(raw) || raw.kind !== "ExecCredential") throw new Error("did not print an ExecCredential");
  if (raw.apiVersion !== apiVersion) throw new Error(`printed an ExecCredential of apiVersion ${JSON.stringify(raw.apiVersion ?? "")}, not ${apiVersion} as the kubeconfig asks`);
  const status = raw.status;
  if (!isRecord(status)) throw new Error("printed an ExecCredential without status");
  const str = (k: string) => (typeof status[k] === "string" && status[k] ? (status[k] as string) : undefined);
  const token = str("token");
  const cert = str("clientCertificateData");
  const key = str("clientKeyData");
  if (!cert !== !key) throw new Error("printed an ExecCredential with only one of clientCertificateData and clientKeyData");
  if (!token && !cert) throw new Error("printed an ExecCredential with neither status.token nor clientCertificateData and clientKeyData");
  let expiresAt: number | undefined;
  const expiry = status.expirationTimestamp;
  if (expiry !== undefined && expiry !== null) {
    expiresAt = typeof expiry === "string" ? Date.parse(expiry) : Number.NaN;
    if (Number.isNaN(expiresAt)) throw new Error(`printed an expirationTimestamp that is not a time: ${JSON.stringify(expiry)}`);
  }
  return { token, cert: cert ? Buffer.from(cert) : undefined, key: key ? Buffer.from(key) : undefined, expiresAt };
}

/**
 * One plugin's credential, cached until its expirationTimestamp (or, without one, until the server
 * refuses it), and fetched once at a time however many requests wait for it.
 */
export class ExecCredentials {
  readonly #config: ExecConfig;
  readonly #run: (config: ExecConfig) => Promise<ExecCredential>;
  #cached?: ExecCredential;
  #pending?: Promise<ExecCredential>;

  constructor(config: ExecConfig, run: (config: ExecConfig) => Promise<ExecCredential> = runExecPlugin) {
    this.#config = config;
    this.#run = run;
  }

  get(now = Date.now()): Promise<ExecCredential> {
    const cached = this.#cached;
    if (cached && (cached.expiresAt === undefined || now < cached.expiresAt)) return Promise.resolve(cached);
    this.#pending ??= this.#run(this.#config).then(
      (cred) => ((this.#cached = cred), (this.#pending = undefined), cred),
      (err) => {
        this.#pending = undefined;
        throw err;
      },
    );
    return this.#pending;
  }

  /** The server answered 401 to `cred`: the next get() runs the plugin again. */
  invalidate(cred: ExecCredential): void {
    if (this.#cached === cred) this.#cached = undefined;
  }
}
