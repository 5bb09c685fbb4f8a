import { Agent, request } from "node:https";
import type { KubeConnection } from "./read_kubeconfig.ts";

export interface KubeRequest {
  method?: string;
  /** Path and query, e.g. /api/v1/nodes?limit=1 */
  path: string;
  body?: string | object;
  contentType?: string;
  accept?: string;
  /** Extra headers, e.g. Impersonate-User. */
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export interface KubeResponse {
  status: number;
  body: string;
  /** The body parsed as JSON (throws when it is not). */
  json<T = any>(): T;
}

const agents = new WeakMap<KubeConnection, Agent>();

function agentFor(conn: KubeConnection): Agent {
  let agent = agents.get(conn);
  if (!agent) {
    agent = new Agent({ ca: conn.ca, cert: conn.cert, key: conn.key, keepAlive: true, maxSockets: 16 });
    agents.set(conn, agent);
  }
  return agent;
}

/**
 * One HTTPS request to the API server with the connection's client certificate. A deliberately tiny
 * helper for the dev control plane and tests; not a Kubernetes client.
 */
export function kubeRequest(conn: KubeConnection, req: KubeRequest): Promise<KubeResponse> {
  const url = new URL(req.path, conn.server);
  const body = req.body === undefined ? undefined : typeof req.body === "string" ? req.body : JSON.stringify(req.body);
  const headers: Record<string, string> = { ...req.headers, accept: req.accept ?? "application/json" };
  if (body !== undefined) {
    headers["content-type"] = req.contentType ?? "application/json";
    headers["content-length"] = String(Buffer.byteLength(body));
  }
  if (conn.token) headers.authorization = `Bearer ${conn.token}`;
  return new Promise((resolve, reject) => {
    const r = request(
      url,
      { method: req.method ?? "GET", headers, agent: agentFor(conn), timeout: req.timeoutMs ?? 30_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({ status: res.statusCode ?? 0, body: text, json: () => JSON.parse(text) });
        });
      },
    );
    r.on("timeout", () => r.destroy(new Error(`${req.method ?? "GET"} ${url} timed out`)));
    r.on("error", reject);
    r.end(body);
  });
}

/** Like kubeRequest, but throws unless the status is 2xx (or one of `ok`). */
export async function kubeRequestOk(conn: KubeConnection, req: KubeRequest, ok: number[] = []): Promise<KubeResponse> {
  const res = await kubeRequest(conn, req);
  if ((res.status < 200 || res.status > 299) && !ok.includes(res.status)) {
    throw new Error(`${req.method ?? "GET"} ${req.path}: HTTP ${res.status}: ${res.body.slice(0, 500)}`);
  }
  return res;
}

/** Closes the idle keep-alive sockets of a connection so the process can exit. */
export function closeKubeConnection(conn: KubeConnection): void {
  agents.get(conn)?.destroy();
  agents.delete(conn);
}
