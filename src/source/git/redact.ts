/**
 * Removes credentials from text bound for logs, events or status: the given secret values,
 * user:password@ in URLs, and query strings of URLs (signed URLs carry tokens there).
 */
export function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s && s.length >= 3) out = out.split(s).join("***");
  }
  out = out.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, "$1");
  return out.replace(/([a-z][a-z0-9+.-]*:\/\/[^\s?'"]+)\?[^\s'"]*/gi, "$1");
}
