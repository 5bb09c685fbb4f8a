/**
 * git smart HTTP on loopback through git-http-backend: the demo's sample repository and the
 * tests' HTTP(S) git servers. Optional basic or bearer auth, HTTPS with optional client certificates.
 */
import { spawn } from "node:child_process";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";

const httpBackend = "/usr/lib/git-core/git-http-backend";

export type HttpAuth = { username: string; password: string } | { bearerToken: string };

export interface ServerTls {
  caCert: string;
  cert: string;
  key: string;
}

export interface GitHttpServerOptions {
  auth?: HttpAuth;
  /** Serve HTTPS with these certificates; require a client certificate when requireClientCert. */
  tls?: ServerTls;
  requireClientCert?: boolean;
  /** Port to listen on (default: a free one). */
  port?: number;
}

export interface GitHttpServer {
  /** e.g. http://127.0.0.1:PORT/<name>.git */
  url(name: string): string;
  port: number;
  /** Requests served, by kind: ref listings (info/refs) and pack fetches (git-upload-pack). */
  stats: { refListings: number; fetches: number; unauthorized: number };
  /** Refuse every request (simulates an outage) until set back to false. */
  down: boolean;
  stop(): Promise<void>;
}

/** Serves every bare repository under `root` (`<root>/<name>.git`). */
export async function startGitHttpServer(root: string, opts: GitHttpServerOptions = {}): Promise<GitHttpServer> {
  const stats = { refListings: 0, fetches: 0, unauthorized: 0 };
  const state = { down: false };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    if (state.down) {
      res.writeHead(503).end();
      return;
    }
    if (!authorized(req, opts.auth)) {
      stats.unauthorized++;
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="git"' }).end();
      return;
    }
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname.endsWith("/info/refs")) stats.refListings++;
    serveCgi(root, req, res, url, (command) => {
      // Protocol v2 sends ls-refs and fetch as POSTs to git-upload-pack; only fetch moves packs.
      if (command !== "ls-refs") stats.fetches++;
    });
  };
  const server: Server = opts.tls
    ? createHttpsServer(
        { cert: opts.tls.cert, key: opts.tls.key, ca: opts.tls.caCert, requestCert: opts.requireClientCert, rejectUnauthorized: opts.requireClientCert ?? false },
        handler,
      )
    : createHttpServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", resolve);
  });
  const port = (server.address() as { port: number }).port;
  const scheme = opts.tls ? "https" : "http";
  return {
    url: (name) => `${scheme}://127.0.0.1:${port}/${name}.git`,
    port,
    stats,
    get down() {
      return state.down;
    },
    set down(v: boolean) {
      state.down = v;
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(() => r(undefined)));
    },
  };
}

function authorized(req: IncomingMessage, auth?: HttpAuth): boolean {
  if (!auth) return true;
  const header = req.headers.authorization ?? "";
  if ("bearerToken" in auth) return header === `Bearer ${auth.bearerToken}`;
  return header === `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`;
}

function serveCgi(root: string, req: IncomingMessage, res: ServerResponse, url: URL, onUploadPack: (command: string) => void): void {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: "1",
    PATH_INFO: decodeURIComponent(url.pathname),
    REQUEST_METHOD: req.method ?? "GET",
    QUERY_STRING: url.search.slice(1),
    CONTENT_TYPE: req.headers["content-type"] ?? "",
    REMOTE_ADDR: "127.0.0.1",
    REMOTE_USER: "git",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
  };
  if (req.headers["content-length"]) env.CONTENT_LENGTH = req.headers["content-length"];
  if (req.headers["content-encoding"]) env.HTTP_CONTENT_ENCODING = req.headers["content-encoding"];
  if (req.headers["git-protocol"]) env.GIT_PROTOCOL = String(req.headers["git-protocol"]);
  const child = spawn(httpBackend, [], { env, stdio: ["pipe", "pipe", "ignore"] });
  // A client that goes away mid-request must not leave git-http-backend waiting for input forever.
  res.on("close", () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  let first = true;
  req.on("data", (chunk: Buffer) => {
    if (first && url.pathname.endsWith("/git-upload-pack")) {
      const gzipped = req.headers["content-encoding"] === "gzip";
      onUploadPack(gzipped ? "fetch" : (/command=([a-z-]+)/.exec(chunk.subarray(0, 64).toString("latin1"))?.[1] ?? "fetch"));
    }
    first = false;
    child.stdin.write(chunk);
  });
  req.on("end", () => child.stdin.end());
  child.stdin.on("error", () => undefined);
  let head = Buffer.alloc(0);
  let headersDone = false;
  child.stdout.on("data", (chunk: Buffer) => {
    if (headersDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf("\r\n\r\n");
    if (end < 0) return;
    headersDone = true;
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of head.subarray(0, end).toString().split("\r\n")) {
      const i = line.indexOf(":");
      const k = line.slice(0, i).trim();
      const v = line.slice(i + 1).trim();
      if (k.toLowerCase() === "status") status = Number.parseInt(v, 10);
      else headers[k] = v;
    }
    res.writeHead(status, headers);
    res.write(head.subarray(end + 4));
  });
  child.stdout.on("end", () => res.end());
  child.on("error", () => res.destroy());
}
