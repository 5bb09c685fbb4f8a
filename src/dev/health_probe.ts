import { get as httpGet } from "node:http";
import { get as httpsGet } from "node:https";

/**
 * True when `url` answers 200. For https, the server certificate is not verified: this only asks a
 * loopback component (with its own self-signed serving certificate) whether it is up.
 */
export function probeHealth(url: string, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const get = url.startsWith("https:") ? httpsGet : httpGet;
    const req = get(url, { timeout: timeoutMs, rejectUnauthorized: false, agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode === 200));
      res.on("error", () => resolve(false));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
  });
}
