import { createReadStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { hostname } from "node:os";
import { isAbsolute, join, normalize, relative, sep } from "node:path";
import type { Runnable } from "../../runtime/manager.ts";

export interface ArtifactServerOptions {
  root: string;
  /** host:port to listen on (--storage-addr); port 0 picks a free port. */
  addr: string;
  /** host[:port] (or a URL) advertised in artifact URLs (--storage-adv-addr); derived from addr when unset. */
  advAddr?: string;
}

/**
 * Serves the artifact store over HTTP (GET and HEAD): files are streamed with Content-Length
 * and an ETag, If-None-Match answers 304, slow or idle clients are cut off, and no path outside
 * the root (by "..", encoding tricks or symlinks) is ever served. Runs on the leader, like Flux's.
 */
export class ArtifactServer implements Runnable {
  readonly needsLeader = true;
  readonly #opts: ArtifactServerOptions;
  #server: Server | undefined;
  #port: number | undefined;
  #rootReal = "";

  constructor(opts: ArtifactServerOptions) {
    this.#opts = opts;
  }

  async start(): Promise<void> {
    const { host, port } = splitAddr(this.#opts.addr);
    this.#rootReal = await realpath(this.#opts.root);
    const server = createServer((req, res) => void this.#handle(req, res));
    server.headersTimeout = 10_000;
    server.requestTimeout = 60_000;
    server.keepAliveTimeout = 30_000;
    server.timeout = 120_000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host || undefined, () => resolve());
    });
    this.#server = server;
    this.#port = (server.address() as { port: number }).port;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    server.closeAllConnections();
    await new Promise((r) => server.close(() => r(undefined)));
  }

  /** e.g. http://source-controller.flux-system.svc.cluster.local. or http://127.0.0.1:41234 */
  baseUrl(): string {
    const adv = this.#opts.advAddr;
    if (adv) return /^https?:\/\//.test(adv) ? adv.replace(/\/+$/, "") : `http://${adv}`;
    const { host, port } = splitAddr(this.#opts.addr);
    const h = !host ? "localhost" : host === "0.0.0.0" || host === "::" ? hostname() : host;
    return `http://${h.includes(":") ? `[${h}]` : h}:${this.#port ?? port}`;
  }

  /** The URL of a stored file. */
  urlOf(path: string): string {
    return `${this.baseUrl()}/${path.split("/").map(encodeURIComponent).join("/")}`;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" }).end();
      return;
    }
    const file = this.#resolve(req.url ?? "/");
    if (file === "") {
      res.writeHead(200, { "Content-Type": "text/plain" }).end(req.method === "HEAD" ? undefined : "ok\n");
      return;
    }
    // Symlinks are followed only when they stay inside the store.
    const real = file ? await realpath(file).catch(() => undefined) : undefined;
    const info = real && inside(this.#rootReal, real) ? await stat(real).catch(() => undefined) : undefined;
    if (!file || !info?.isFile()) {
      res.writeHead(404, { "Content-Type": "text/plain" }).end(req.method === "HEAD" ? undefined : "not found\n");
      return;
    }
    const etag = `"${info.ino.toString(16)}-${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    const headers = {
      ETag: etag,
      "Last-Modified": info.mtime.toUTCString(),
      "Content-Type": file.endsWith(".tar.gz") || file.endsWith(".tgz") ? "application/gzip" : "application/octet-stream",
    };
    if (req.headers["if-none-match"]?.split(",").some((t) => t.trim() === etag || t.trim() === "*")) {
      res.writeHead(304, headers).end();
      return;
    }
    res.writeHead(200, { ...headers, "Content-Length": String(info.size) });
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    const body = createReadStream(real!);
    body.on("error", () => res.destroy());
    res.on("close", () => body.destroy());
    body.pipe(res);
  }

  /** The file for a request path; "" for the root, undefined when the path is refused. */
  #resolve(url: string): string | undefined {
    let path: string;
    try {
      path = decodeURIComponent(new URL(url, "http://x").pathname);
    } catch {
      return undefined;
    }
    if (path.includes("\0") || path.split("/").some((s) => s === ".." || s.startsWith("."))) return undefined;
    const rel = normalize(path).replace(/^\/+/, "");
    if (rel === "" || rel === ".") return "";
    const full = join(this.#opts.root, rel);
    return inside(this.#opts.root, full) ? full : undefined;
  }
}

function splitAddr(addr: string): { host: string; port: number } {
  const i = addr.lastIndexOf(":");
  if (i < 0) return { host: addr, port: 9090 };
  return { host: addr.slice(0, i).replace(/^\[|\]$/g, ""), port: Number.parseInt(addr.slice(i + 1), 10) || 0 };
}

function inside(root: string, path: string): boolean {
  const back = relative(root, path);
  return !(back.startsWith(`..${sep}`) || back === ".." || isAbsolute(back));
}
