/** A non-2xx answer from the API server, with its Status reason and message. */
export class ApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details?: unknown;
  readonly verb: string;
  readonly path: string;

  constructor(verb: string, path: string, code: number, body: unknown) {
    const status = (typeof body === "object" && body ? body : {}) as { message?: string; reason?: string; details?: unknown };
    super(status.message ?? (typeof body === "string" && body ? body : `${verb} ${path}: HTTP ${code}`));
    this.name = "ApiError";
    this.code = code;
    this.reason = status.reason ?? "";
    this.details = status.details;
    this.verb = verb;
    this.path = path;
  }
}

export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.code === 404;
}

export function isConflict(err: unknown): boolean {
  return err instanceof ApiError && err.code === 409;
}

export function isForbidden(err: unknown): boolean {
  return err instanceof ApiError && err.code === 403;
}

export function isGone(err: unknown): boolean {
  return err instanceof ApiError && err.code === 410;
}

export function isInvalid(err: unknown): boolean {
  return err instanceof ApiError && err.code === 422;
}

const unavailableCodes = new Set([429, 500, 502, 503, 504]);
const networkCodes = new Set([
  "ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN",
  "UND_ERR_SOCKET", "UND_ERR_CLOSED", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT",
]);

/**
 * Whether the error (or any error it was caused by) says the API server could not answer just
 * now — refused or dropped connections, timeouts, 5xx, 429 — rather than that the request was wrong.
 * Such failures are worth retrying soon.
 */
export function isServerUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 10; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof ApiError) return unavailableCodes.has(e.code);
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && networkCodes.has(code)) return true;
  }
  return false;
}
