import type { KubeObject } from "../api/meta.ts";

const mask = "***";

/** Field path → value, for the parts of an object apply can change (labels, annotations, all but metadata and status). */
function flatten(obj: KubeObject): Map<string, string> {
  const { metadata, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  const out = new Map<string, string>();
  const walk = (value: unknown, path: string) => {
    // Empty lists and maps count as absent: {} and a missing field apply the same.
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${path}[${i}]`));
    } else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}${/^[A-Za-z_][\w-]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`}` : k);
    } else {
      out.set(path, JSON.stringify(value));
    }
  };
  walk({ ...rest, metadata: { labels: metadata.labels ?? {}, annotations: metadata.annotations ?? {} } }, "");
  return out;
}

/** Secret values never reach the terminal; a change still shows as a change. */
function shown(obj: KubeObject, path: string, value: string | undefined): string {
  if (value === undefined) return "<none>";
  const secret = obj.kind === "Secret" && obj.apiVersion === "v1" && /^(data|stringData)[.[]/.test(path);
  return secret ? mask : value;
}

/**
 * The fields that differ between the live object and what applying would make of it (the server's
 * dry-run answer), as `path`, `- live`, `+ applied` lines; Secret data masked. Empty: no drift.
 */
export function describeDrift(live: KubeObject, applied: KubeObject): string[] {
  const before = flatten(live);
  const after = flatten(applied);
  const lines: string[] = [];
  for (const path of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const a = before.get(path);
    const b = after.get(path);
    if (a === b) continue;
    lines.push(path);
    const [from, to] = [shown(live, path, a), shown(applied, path, b)];
    if (from === mask && to === mask) lines.push(`  ${mask} (value changed)`);
    else lines.push(`  - ${from}`, `  + ${to}`);
  }
  return lines;
}
