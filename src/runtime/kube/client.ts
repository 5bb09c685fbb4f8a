import { readFileSync } from "node:fs";
import { createSecureContext } from "node:tls";
import { Agent, type Dispatcher, request } from "undici";
import { ApiError } from "./api_error.ts";
import { type ExecCredential, ExecCredentials } from "./exec_credential.ts";
import { LineSplitter } from "./line_splitter.ts";
import type { ClusterConnection } from "./kubeconfig.ts";
import { RateLimiter } from "./rate_limiter.ts";

export interface ClientOptions {
  /** Sustained requests per second (--kube-api-qps); 0 disables the bucket. */
  qps?: number;
  /** Requests allowed at once above the sustained rate (--kube-api-burst). */
  burst?: number;
  /** Requests in flight at most; watches do not hold a slot. */
  maxInFlight?: number;
  userAgent?: string;
  /**
   * Keep the qps/burst bucket when the server runs API Priority and Fairness. By default the bucket
   * is dropped once a response shows APF (as Flux does): the server then shares its capacity fairly
   * and answers 429 when we ask too much, which we honour.
   */
  keepRateLimitUnderApf?: boolean;
  /** Called once per finished request, for metrics (and, with the path and query, diagnostics). */
  onResponse?: (verb: string, code: number, seconds: number, request: { path: string; query?: RequestSpec["query"] }) => void;
}

/** Who to act as: a user and groups, sent as Impersonate-* headers. */
export interface Impersonation {
  user: string;
  groups?: string[];
}

export interface RequestSpec {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  /** How many times a 429 is waited out before giving up. */
  maxRetries?: number;
}

export interface WatchEvent<T = Record<string, unknown>> {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: T;
}

interface Shared {
  conn: ClusterConnection;
  agent: Agent;
  limiter: RateLimiter;
  options: ClientOptions;
  token?: { value: string; readAt: number };
  requests: number;
  apf: boolean;
  /** The kubeconfig's credential plugin, and the connections made with the client certificate it last gave. */
  exec?: ExecCredentials;
  execAgent?: { cred: ExecCredential; agent: Agent };
}

/** How one request authenticates: the token to send and the connections to send it on. */
interface Auth {
  token?: string;
  agent: Agent;
  /** The plugin's credential used, dropped when the server answers 401. */
  exec?: ExecCredential;
}

function agentFor(conn: ClusterConnection, cert = conn.cert, key = conn.key): Agent {
  return new Agent({
    connect: {
      // Built once: a context per connection (parsing the CA and the client key) showed in profiles.
      secureContext: createSecureContext({ ca: conn.ca, cert, key }),
      rejectUnauthorized: !conn.insecureSkipTlsVerify,
    },
    connections: 64,
    keepAliveTimeout: 30_000,
    pipelining: 1,
  });
}

/**
 * A thin client for the Kubernetes REST API on undici: auth, throttling, 429 handling,
 * impersonation and watch streams. Everything typed about resources sits on top of it.
 */
export class KubeClient {
  readonly #shared: Shared;
  readonly #impersonate?: Impersonation;

  constructor(conn: ClusterConnection, options: ClientOptions = {}, shared?: Shared, impersonate?: Impersonation) {
    this.#shared = shared ?? {
      conn,
      options,
      limiter: new RateLimiter(options.qps ?? 50, options.burst ?? 300, options.maxInFlight ?? 64),
      agent: agentFor(conn),
      requests: 0,
      apf: false,
      exec: conn.exec ? new ExecCredentials(conn.exec) : undefined,
    };
    this.#impersonate = impersonate;
  }

  get connection(): ClusterConnection {
    return this.#shared.conn;
  }

  /** Requests sent so far by this client and every impersonating copy of it. */
  get requestCount(): number {
    return this.#shared.requests;
  }

  /** Whether the server answered with API Priority and Fairness headers. */
  get apfDetected(): boolean {
    return this.#shared.apf;
  }

  /** The same connection, acting as another user (service-account impersonation). */
  impersonating(who: Impersonation | undefined): KubeClient {
    if (!who) return this;
    return new KubeClient(this.#shared.conn, this.#shared.options, this.#shared, who);
  }

  async request<T = Record<string, unknown>>(spec: RequestSpec): Promise<T> {
    const maxRetries = spec.maxRetries ?? 10;
    let reauthenticated = false;
    for (let attempt = 0; ; attempt++) {
      const auth = await this.#auth();
      const release = await this.#shared.limiter.acquire();
      const started = performance.now();
      let code = 0;
      try {
        const res = await request(this.#url(spec.path, spec.query), {
          method: spec.method,
          headers: this.#headers(spec.body === undefined ? undefined : (spec.contentType ?? "application/json"), auth),
          body: spec.body === undefined ? undefined : typeof spec.body === "string" ? spec.body : JSON.stringify(spec.body),
          dispatcher: auth.agent,
          headersTimeout: 60_000,
          bodyTimeout: 120_000,
        });
        code = res.statusCode;
        this.#noteApf(res.headers);
        const text = await res.body.text();
        if (code === 429 && attempt < maxRetries) {
          this.#shared.limiter.pause(retryAfterMs(res.headers, attempt));
          continue;
        }
        // A plugin's credential the server no longer takes (revoked, rotated): ask the plugin once more.
        if (code === 401 && auth.exec && !reauthenticated) {
          this.#shared.exec!.invalidate(auth.exec);
          reauthenticated = true;
          continue;
        }
        const parsed = text ? safeJson(text) : undefined;
        if (code >= 400) throw new ApiError(spec.method, spec.path, code, parsed);
        return parsed as T;
      } finally {
        this.#shared.requests++;
        release();
        this.#shared.options.onResponse?.(spec.method, code, (performance.now() - started) / 1000, spec);
      }
    }
  }

  /** Streams watch events until the server closes the watch, the signal aborts, or the connection drops. */
  async *watch<T = Record<string, unknown>>(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    signal?: AbortSignal,
  ): AsyncGenerator<WatchEvent<T>> {
    const res = await this.#openStream("WATCH", path, { ...query, watch: true }, signal);
    const lines = new LineSplitter();
    // Only whole lines are events: a line cut off by a closed connection is dropped, not parsed.
    for await (const text of this.#chunks(res)) {
      for (const line of lines.push(text)) {
        const event = line.trim();
        if (event) yield JSON.parse(event) as WatchEvent<T>;
      }
    }
  }

  /**
   * A GET whose answer is plain text arriving over time (pod logs with follow): yields its lines as
   * they come (the last one even without a newline), until the server ends it or the signal aborts.
   * An error status throws ApiError.
   */
  async *streamLines(path: string, query: RequestSpec["query"], signal?: AbortSignal): AsyncGenerator<string> {
    const lines = new LineSplitter();
    for await (const text of this.#chunks(await this.#openStream("GET", path, query, signal, "*/*"))) yield* lines.push(text);
    yield* lines.end();
  }

  /** Opens a long-lived GET (a watch, a followed log). A 429 is waited out and asked again; an error status throws ApiError. */
  async #openStream(verb: "WATCH" | "GET", path: string, query: RequestSpec["query"], signal: AbortSignal | undefined, accept?: string): Promise<Dispatcher.ResponseData> {
    let res: Dispatcher.ResponseData;
    let used: ExecCredential | undefined;
    for (let attempt = 0; ; attempt++) {
      const auth = await this.#auth();
      used = auth.exec;
      const headers = this.#headers(undefined, auth);
      const release = await this.#shared.limiter.acquire();
      try {
        res = await request(this.#url(path, query), {
          method: "GET",
          headers: accept ? { ...headers, accept } : headers,
          dispatcher: auth.agent,
          signal,
          headersTimeout: 60_000,
          bodyTimeout: 0,
        });
      } finally {
        this.#shared.requests++;
        release();
      }
      this.#shared.options.onResponse?.(verb, res.statusCode, 0, { path, query });
      // Waiting out a 429 keeps a watch's resourceVersion: the caller need not list again.
      if (res.statusCode !== 429 || attempt >= 10) break;
      await res.body.dump();
      this.#shared.limiter.pause(retryAfterMs(res.headers, attempt));
    }
    if (res.statusCode >= 400) {
      if (res.statusCode === 401 && used) this.#shared.exec!.invalidate(used);
      const text = await res.body.text();
      throw new ApiError(verb, path, res.statusCode, safeJson(text));
    }
    return res;
  }

  /** The body as text, decoded across chunk boundaries; the body is closed when the reader stops. */
  async *#chunks(res: Dispatcher.ResponseData): AsyncGenerator<string> {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body) {
        const text = decoder.decode(chunk as Uint8Array, { stream: true });
        if (text) yield text;
      }
      const rest = decoder.decode();
      if (rest) yield rest;
    } finally {
      res.body.destroy();
    }
  }

  #noteApf(headers: Record<string, string | string[] | undefined>): void {
    if (this.#shared.apf || !headers["x-kubernetes-pf-flowschema-uid"]) return;
    this.#shared.apf = true;
    if (!this.#shared.options.keepRateLimitUnderApf) this.#shared.limiter.disableRate();
  }

  async close(): Promise<void> {
    await this.#shared.agent.close();
    await this.#shared.execAgent?.agent.close();
  }

  /** The token and connections for the next request: the plugin's current credential when the kubeconfig has one. */
  async #auth(): Promise<Auth> {
    const shared = this.#shared;
    if (!shared.exec) return { token: this.#token(), agent: shared.agent };
    const cred = await shared.exec.get();
    if (!cred.cert) return { token: cred.token, agent: shared.agent, exec: cred };
    if (shared.execAgent?.cred !== cred) {
      const old = shared.execAgent?.agent;
      shared.execAgent = { cred, agent: agentFor(shared.conn, cred.cert, cred.key) };
      // Graceful: requests (and watches) on the old certificate finish first.
      void old?.close().catch(() => undefined);
    }
    return { token: cred.token, agent: shared.execAgent.agent, exec: cred };
  }

  #url(path: string, query?: RequestSpec["query"]): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) params.set(k, String(v));
    const qs = params.toString();
    return `${this.#shared.conn.server}${path}${qs ? `?${qs}` : ""}`;
  }

  #headers(contentType: string | undefined, auth: Auth): Record<string, string | string[]> {
    const h: Record<string, string | string[]> = {
      accept: "application/json",
      "user-agent": this.#shared.options.userAgent ?? "sluice",
    };
    if (contentType) h["content-type"] = contentType;
    const token = auth.token;
    if (token) h.authorization = `Bearer ${token}`;
    else if (this.#shared.conn.username !== undefined) {
      h.authorization = `Basic ${Buffer.from(`${this.#shared.conn.username}:${this.#shared.conn.password ?? ""}`).toString("base64")}`;
    }
    if (this.#impersonate) {
      h["impersonate-user"] = this.#impersonate.user;
      if (this.#impersonate.groups?.length) h["impersonate-group"] = this.#impersonate.groups;
    }
    return h;
  }

  #token(): string | undefined {
    const { conn } = this.#shared;
    if (conn.token) return conn.token;
    if (!conn.tokenFile) return undefined;
    const cached = this.#shared.token;
    if (cached && Date.now() - cached.readAt < 60_000) return cached.value;
    const value = readFileSync(conn.tokenFile, "utf8").trim();
    this.#shared.token = { value, readAt: Date.now() };
    return value;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function retryAfterMs(headers: Record<string, string | string[] | undefined>, attempt: number): number {
  const raw = headers["retry-after"];
  const seconds = Number(Array.isArray(raw) ? raw[0] : raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, 60) * 1000;
  return Math.min(200 * 2 ** attempt, 10_000);
}
