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
