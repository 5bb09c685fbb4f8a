/**
 * A stand-in for GitHub's App API on loopback: it checks the app's JWT (RS256 signature against
 * the app's public key, issuer, expiry) the way GitHub does and hands out installation tokens.
 * Only the two endpoints the source controller calls: GET /app/installations and
 * POST /app/installations/{id}/access_tokens, optionally below a GHES-style prefix (/api/v3).
 */
import { createPublicKey, type KeyObject, verify } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

export interface FakeGitHubApiOptions {
  appId: string;
  /** The app's public key (PEM or KeyObject): JWTs must verify against it. */
  publicKey: KeyObject | string;
  installations: Array<{ id: number; owner: string }>;
  /** The installation token every exchange returns. */
  token: string;
  /** Lifetime of the tokens handed out (default 1 hour). */
  tokenTtlMs?: number;
  /** Path prefix of the API, e.g. "/api/v3" (GitHub Enterprise Server). */
  prefix?: string;
}

export interface FakeGitHubApi {
  /** What goes in the Secret's githubAppBaseURL. */
  baseUrl: string;
  /** Tokens handed out, JWTs refused, installation listings served. */
  stats: { tokens: number; refused: number; listings: number };
  /** Lifetime of the next tokens (settable). */
  tokenTtlMs: number;
  stop(): Promise<void>;
}

export async function startFakeGitHubApi(opts: FakeGitHubApiOptions): Promise<FakeGitHubApi> {
  const publicKey = typeof opts.publicKey === "string" ? createPublicKey(opts.publicKey) : opts.publicKey;
  const prefix = opts.prefix ?? "";
  const stats = { tokens: 0, refused: 0, listings: 0 };
  const state = { tokenTtlMs: opts.tokenTtlMs ?? 3_600_000 };
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    const url = new URL(req.url ?? "/", "http://x");
    if (!url.pathname.startsWith(`${prefix}/app/`)) return send(res, 404, { message: "Not Found" });
    const refusal = checkJwt(req.headers.authorization, publicKey, opts.appId);
    if (refusal) {
      stats.refused++;
      return send(res, 401, { message: refusal, documentation_url: "https://docs.github.com/rest" });
    }
    const path = url.pathname.slice(prefix.length);
    if (req.method === "GET" && path === "/app/installations") {
      stats.listings++;
      const page = Number(url.searchParams.get("page") ?? "1");
      const perPage = Number(url.searchParams.get("per_page") ?? "30");
      const items = opts.installations.slice((page - 1) * perPage, page * perPage).map((i) => ({ id: i.id, account: { login: i.owner, type: "Organization" } }));
      return send(res, 200, items);
    }
    const m = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
    if (req.method === "POST" && m) {
      if (!opts.installations.some((i) => i.id === Number(m[1]))) return send(res, 404, { message: "Not Found" });
      stats.tokens++;
      return send(res, 201, { token: opts.token, expires_at: new Date(Date.now() + state.tokenTtlMs).toISOString().replace(/\.\d+Z$/, "Z") });
    }
    send(res, 404, { message: "Not Found" });
  };
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    baseUrl: `http://127.0.0.1:${port}${prefix}`,
    stats,
    get tokenTtlMs() {
      return state.tokenTtlMs;
    },
    set tokenTtlMs(v: number) {
      state.tokenTtlMs = v;
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(() => r(undefined)));
    },
  };
}

/** Why GitHub would refuse this Authorization header, or undefined when it would accept it. */
function checkJwt(header: string | undefined, key: KeyObject, appId: string): string | undefined {
  const m = /^Bearer (\S+)$/.exec(header ?? "");
  if (!m) return "A JSON web token could not be decoded";
  const parts = m[1].split(".");
  if (parts.length !== 3) return "A JSON web token could not be decoded";
  const [h, p, sig] = parts;
  let head: { alg?: string };
  let claims: { iat?: number; exp?: number; iss?: string | number };
  try {
    head = JSON.parse(Buffer.from(h, "base64url").toString());
    claims = JSON.parse(Buffer.from(p, "base64url").toString());
  } catch {
    return "A JSON web token could not be decoded";
  }
  if (head.alg !== "RS256") return "A JSON web token could not be decoded";
  if (!verify("sha256", Buffer.from(`${h}.${p}`), key, Buffer.from(sig, "base64url"))) return "A JSON web token could not be decoded";
  const now = Math.floor(Date.now() / 1000);
  if (String(claims.iss) !== appId) return "Integration not found";
  if (typeof claims.exp !== "number" || claims.exp <= now) return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
  if (typeof claims.iat !== "number" || claims.iat > now + 60) return "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued";
  if (claims.exp - claims.iat > 660) return "'Expiration time' claim ('exp') is too far in the future";
  return undefined;
}
