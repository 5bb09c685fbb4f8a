import { createHash, createPrivateKey, type KeyObject, sign } from "node:crypto";
import { rootCertificates } from "node:tls";
import { Agent, type Dispatcher, ProxyAgent, request } from "undici";
import { GitAuthError, type SecretData } from "./git_auth.ts";

/** Secret keys of GitHub App authentication (Flux's names). */
export const gitHubAppKeys = {
  appId: "githubAppID",
  installationId: "githubAppInstallationID",
  installationOwner: "githubAppInstallationOwner",
  privateKey: "githubAppPrivateKey",
  baseUrl: "githubAppBaseURL",
} as const;

const defaultBaseUrl = "https://api.github.com";

/** A GitHub App installation to get tokens for, read from a Secret. */
export interface GitHubApp {
  appId: string;
  /** Exactly one of installationId and installationOwner. */
  installationId?: string;
  installationOwner?: string;
  privateKey: KeyObject;
  /** The raw PEM, for the cache key. */
  privateKeyPem: string;
  /** API root without a trailing slash: https://api.github.com, or https://HOST/api/v3 for GHES. */
  baseUrl: string;
  caCert?: string;
  tlsCert?: string;
  tlsKey?: string;
  proxy?: { address: string; username?: string; password?: string };
}

/** Whether the Secret holds any GitHub App key. */
export function hasGitHubAppData(secret: SecretData): boolean {
  return Object.values(gitHubAppKeys).some((k) => secret.data[k] !== undefined);
}

/**
 * Reads and checks the GitHub App keys of a Secret: numeric app ID, exactly one of installation
 * ID and owner, a PEM RSA private key, an http(s) base URL. Throws a GitAuthError naming the key.
 */
export function gitHubAppFromSecret(secret: SecretData, proxy?: GitHubApp["proxy"]): GitHubApp {
  const d = secret.data;
  const where = `Secret '${secret.ref}'`;
  const k = gitHubAppKeys;
  const appId = d[k.appId]?.trim();
  if (!appId) throw new GitAuthError(`${where} has no '${k.appId}' key: GitHub App authentication needs the app's ID`);
  if (!/^\d+$/.test(appId)) throw new GitAuthError(`${where}: '${k.appId}' must be the app's numeric ID, got ${JSON.stringify(appId)}`);
  const installationId = d[k.installationId]?.trim() || undefined;
  const installationOwner = d[k.installationOwner]?.trim() || undefined;
  if (!installationId && !installationOwner) {
    throw new GitAuthError(`${where} has neither '${k.installationId}' nor '${k.installationOwner}': one of them must name the app's installation`);
  }
  if (installationId && installationOwner) throw new GitAuthError(`${where} has both '${k.installationId}' and '${k.installationOwner}'; set only one`);
  if (installationId && !/^\d+$/.test(installationId)) {
    throw new GitAuthError(`${where}: '${k.installationId}' must be a numeric ID, got ${JSON.stringify(installationId)}`);
  }
  const pem = d[k.privateKey];
  if (!pem?.trim()) throw new GitAuthError(`${where} has no '${k.privateKey}' key: GitHub App authentication needs the app's private key`);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (err) {
    throw new GitAuthError(`${where}: '${k.privateKey}' is not a PEM-encoded RSA private key (${(err as Error).message})`);
  }
  if (privateKey.asymmetricKeyType !== "rsa") {
    throw new GitAuthError(`${where}: '${k.privateKey}' is a ${privateKey.asymmetricKeyType} key; GitHub App keys are RSA`);
  }
  const base = (d[k.baseUrl]?.trim() || defaultBaseUrl).replace(/\/+$/, "");
  let parsed: URL | undefined;
  try {
    parsed = new URL(base);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== "https:" && parsed.protocol !== "http:")) {
    throw new GitAuthError(`${where}: '${k.baseUrl}' must be an http(s) URL such as https://github.example.com/api/v3, got ${JSON.stringify(base)}`);
  }
  const cert = d["tls.crt"];
  const key = d["tls.key"];
  if ((cert === undefined) !== (key === undefined)) throw new GitAuthError(`${where} must have both 'tls.crt' and 'tls.key', or neither`);
  return { appId, installationId, installationOwner, privateKey, privateKeyPem: pem, baseUrl: base, caCert: d["ca.crt"], tlsCert: cert, tlsKey: key, proxy };
}

/** The app's JSON Web Token (RS256, valid 9 minutes, issued a minute back for clock drift). */
export function gitHubAppJwt(appId: string, key: KeyObject, nowMs = Date.now()): string {
  const now = Math.floor(nowMs / 1000);
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const input = `${part({ alg: "RS256", typ: "JWT" })}.${part({ iat: now - 60, exp: now + 540, iss: appId })}`;
  return `${input}.${sign("sha256", Buffer.from(input), key).toString("base64url")}`;
}

/** The API did not give a token; the message says what it answered. */
export class GitHubAppTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GitHubAppTokenError";
  }
}

interface Cached {
  token: string;
  expiresAt: number;
}

export interface GitHubAppTokensOptions {
  /** A token with less than this left is not handed out again (default 5 minutes). */
  refreshBeforeMs?: number;
  /** Tokens kept at most (oldest dropped first). */
  maxEntries?: number;
  now?: () => number;
}

/**
 * Installation tokens of GitHub Apps, cached per app, installation, key and API until shortly
 * before they expire (GitHub's last an hour), so a reconcile costs no API call while its token is
 * fresh. Concurrent requests for the same installation share one API call.
 */
export class GitHubAppTokens {
  readonly #cache = new Map<string, Cached>();
  readonly #pending = new Map<string, Promise<Cached>>();
  readonly #refreshBeforeMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  /** Tokens fetched from an API (metrics, tests). */
  fetched = 0;

  constructor(opts: GitHubAppTokensOptions = {}) {
    this.#refreshBeforeMs = opts.refreshBeforeMs ?? 5 * 60_000;
    this.#maxEntries = opts.maxEntries ?? 1000;
    this.#now = opts.now ?? Date.now;
  }

  /** A token for the app's installation, from the cache or the API. */
  async token(app: GitHubApp, signal?: AbortSignal): Promise<string> {
    const key = cacheKey(app);
    const cached = this.#cache.get(key);
    if (cached && cached.expiresAt - this.#now() > this.#refreshBeforeMs) return cached.token;
    this.#cache.delete(key);
    let pending = this.#pending.get(key);
    if (!pending) {
      pending = this.#fetch(app, signal).finally(() => this.#pending.delete(key));
      this.#pending.set(key, pending);
    }
    const fresh = await pending;
    this.#cache.set(key, fresh);
    while (this.#cache.size > this.#maxEntries) this.#cache.delete(this.#cache.keys().next().value!);
    return fresh.token;
  }

  async #fetch(app: GitHubApp, signal?: AbortSignal): Promise<Cached> {
    const dispatcher = dispatcherFor(app);
    try {
      const jwt = gitHubAppJwt(app.appId, app.privateKey, this.#now());
      const installation = app.installationId ?? (await findInstallation(app, jwt, dispatcher, signal));
      const url = `${app.baseUrl}/app/installations/${installation}/access_tokens`;
      const body = (await call("POST", url, jwt, dispatcher, signal)) as { token?: unknown; expires_at?: unknown };
      const expiresAt = typeof body.expires_at === "string" ? Date.parse(body.expires_at) : Number.NaN;
      if (typeof body.token !== "string" || !body.token || Number.isNaN(expiresAt)) {
        throw new GitHubAppTokenError(`GitHub App token request to '${url}' answered without a token and its expiry`);
      }
      this.fetched++;
      return { token: body.token, expiresAt };
    } finally {
      await dispatcher?.close();
    }
  }
}

async function findInstallation(app: GitHubApp, jwt: string, dispatcher: Dispatcher | undefined, signal?: AbortSignal): Promise<string> {
  const owner = app.installationOwner!.toLowerCase();
  for (let page = 1; page <= 50; page++) {
    const url = `${app.baseUrl}/app/installations?per_page=100&page=${page}`;
    const list = await call("GET", url, jwt, dispatcher, signal);
    if (!Array.isArray(list)) throw new GitHubAppTokenError(`GitHub App installation list at '${url}' is not a list`);
    const hit = list.find((i: { account?: { login?: string } }) => i?.account?.login?.toLowerCase() === owner) as { id?: unknown } | undefined;
    if (hit && (typeof hit.id === "number" || typeof hit.id === "string")) return String(hit.id);
    if (list.length < 100) break;
  }
  throw new GitHubAppTokenError(`GitHub App ${app.appId} has no installation for owner '${app.installationOwner}'`);
}

async function call(method: "GET" | "POST", url: string, jwt: string, dispatcher: Dispatcher | undefined, signal?: AbortSignal): Promise<unknown> {
  let res;
  try {
    res = await request(url, {
      method,
      dispatcher,
      signal,
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
      headers: {
        authorization: `Bearer ${jwt}`,
        accept: "application/vnd.github+json",
        "x-github-api-version": "2022-11-28",
        "user-agent": "sluice-source-controller",
      },
    });
  } catch (err) {
    throw new GitHubAppTokenError(`unable to reach the GitHub API at '${url}': ${(err as Error).message}`);
  }
  const text = await res.body.text().catch(() => "");
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (res.statusCode >= 300) {
    const said = (body as { message?: unknown } | undefined)?.message;
    const detail = typeof said === "string" ? said : text.slice(0, 200).trim() || "no message";
    throw new GitHubAppTokenError(`the GitHub API refused ${method} '${url}': HTTP ${res.statusCode}: ${detail}`);
  }
  if (body === undefined) throw new GitHubAppTokenError(`the GitHub API answered ${method} '${url}' with something that is not JSON`);
  return body;
}

function dispatcherFor(app: GitHubApp): Dispatcher | undefined {
  const connect = app.caCert || app.tlsCert ? { ca: app.caCert ? [...rootCertificates, app.caCert] : undefined, cert: app.tlsCert, key: app.tlsKey } : undefined;
  if (app.proxy) {
    const token = app.proxy.username !== undefined ? `Basic ${Buffer.from(`${app.proxy.username}:${app.proxy.password ?? ""}`).toString("base64")}` : undefined;
    return new ProxyAgent({ uri: app.proxy.address, token, requestTls: connect });
  }
  return connect ? new Agent({ connect }) : undefined;
}

function cacheKey(app: GitHubApp): string {
  const parts = [app.appId, app.installationId ?? "", app.installationOwner ?? "", app.baseUrl, app.privateKeyPem, app.caCert ?? "", app.tlsCert ?? ""];
  return createHash("sha256").update(parts.join("\0")).digest("hex");
}
