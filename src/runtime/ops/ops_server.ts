import { createServer, type Server } from "node:http";
import type { Metrics } from "./metrics.ts";

/** Parses host:port or :port into listen arguments; an empty address disables the server. */
export function parseAddress(addr: string): { host: string; port: number } | undefined {
  if (!addr || addr === "0") return undefined;
  const i = addr.lastIndexOf(":");
  const host = i > 0 ? addr.slice(0, i).replace(/^\[|\]$/g, "") : "0.0.0.0";
  const port = Number(addr.slice(i + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid address ${JSON.stringify(addr)}: want host:port`);
  return { host, port };
}

/** Serves /metrics, or /healthz and /readyz, on one address. */
export async function startOpsServer(
  addr: string,
  handlers: { metrics?: Metrics; healthy?: () => boolean; ready?: () => boolean },
): Promise<Server | undefined> {
  const a = parseAddress(addr);
  if (!a) return undefined;
  const server = createServer(async (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/metrics" && handlers.metrics) {
      res.setHeader("content-type", handlers.metrics.registry.contentType);
      res.end(await handlers.metrics.registry.metrics());
      return;
    }
    const check = path === "/healthz" ? handlers.healthy : path === "/readyz" ? handlers.ready : undefined;
    if (check) {
      const ok = check();
      res.statusCode = ok ? 200 : 503;
      res.end(ok ? "ok" : "not ready");
      return;
    }
    res.statusCode = 404;
    res.end("not found");
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(a.port, a.host, () => resolve());
  });
  return server;
}
