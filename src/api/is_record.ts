/** Whether `v` is a plain JSON-like object (not null, not an array): a map of fields. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
