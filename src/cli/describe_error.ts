import { InvalidArgumentError } from "commander";
import { ApiError } from "../runtime/kube/api_error.ts";
import { UnknownKindError } from "../runtime/kube/discovery.ts";
import { KubeconfigError } from "../runtime/kube/kubeconfig.ts";
import { CliError } from "./cli_error.ts";

const networkCodes: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  ETIMEDOUT: "timed out",
  UND_ERR_CONNECT_TIMEOUT: "connect timed out",
  UND_ERR_SOCKET: "connection closed",
  UND_ERR_HEADERS_TIMEOUT: "no answer in time",
};

const tlsCodes = /^(ERR_TLS_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|CERT_|ERR_SSL)/;

/**
 * One line for any error, saying what failed and what to do next. `server` names the cluster
 * for network failures.
 */
export function describeError(err: unknown, server?: string): string {
  if (err instanceof CliError || err instanceof InvalidArgumentError) return err.message;
  if (err instanceof KubeconfigError) return err.message;
  if (err instanceof UnknownKindError) {
    return `${err.message}: are the Sluice CRDs installed? run \`sluice check\` or \`sluice install\``;
  }
  if (err instanceof ApiError) return describeApiError(err, server);
  const code = errorCode(err);
  const where = server ? ` at ${server}` : "";
  if (code && networkCodes[code]) {
    return `cannot reach the cluster${where} (${networkCodes[code]}): is it running? check --kubeconfig and --context, or start one with \`sluice dev up\``;
  }
  if (code && tlsCodes.test(code)) {
    return `TLS to the cluster${where} failed (${code}): the kubeconfig's certificate authority does not match the server`;
  }
  const message = err instanceof Error ? err.message : String(err);
  return firstLine(message);
}

function describeApiError(err: ApiError, server?: string): string {
  const message = firstLine(err.message);
  switch (err.code) {
    case 401:
      return `the cluster${server ? ` at ${server}` : ""} rejected the credentials (Unauthorized): check --kubeconfig and --context`;
    case 403:
      return `forbidden: ${message}: ask for RBAC rights or use another --context`;
    case 404:
      // A Status body names a missing object; a bare 404 means the API itself is not served.
      if (!err.reason) return `the cluster does not serve ${err.path}: are the Sluice CRDs installed? run \`sluice check\``;
      return message;
    default:
      return message;
  }
}

/** The innermost error code: undici wraps socket errors in a `cause`. */
function errorCode(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === "string" && (networkCodes[e.code] || tlsCodes.test(e.code))) return e.code;
  }
  return undefined;
}

function firstLine(text: string): string {
  return text.split("\n")[0].trim();
}
