import { ApiError } from "../kube/api_error.ts";

/** An apply refused because it changes a field that cannot change (recreating the object would help). */
export function isImmutableError(err: unknown): boolean {
  if (!(err instanceof ApiError)) return false;
  if (err.code !== 422 && err.code !== 409) return false;
  return /immutable|field is immutable|may not be changed/i.test(err.message);
}
