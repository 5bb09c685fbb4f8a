/**
 * RFC 6901 JSON pointers over plain JSON values: parsing, reading, removing and setting. A parsed
 * pointer is its list of reference tokens (`/metadata/annotations/a~1b` → metadata, annotations,
 * a/b); the empty pointer is the whole document.
 */
import { isRecord } from "../../api/is_record.ts";

/** A pointer that is not RFC 6901. */
export class JsonPointerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JsonPointerError";
  }
}

/** The reference tokens of `pointer`; throws a JsonPointerError saying what is wrong with it. */
export function parseJsonPointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw new JsonPointerError(`${JSON.stringify(pointer)} is not a JSON pointer: it must be empty or start with "/"`);
  const bad = /~(?![01])/.exec(pointer);
  if (bad) throw new JsonPointerError(`${JSON.stringify(pointer)} is not a JSON pointer: "~" at offset ${bad.index} must be followed by 0 or 1 (write "/" as ~1 and "~" as ~0)`);
  return pointer.slice(1).split("/").map((t) => t.replaceAll("~1", "/").replaceAll("~0", "~"));
}

/** The pointer that parses to `tokens`. */
export function formatJsonPointer(tokens: readonly string[]): string {
  return tokens.map((t) => `/${t.replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");
}

/** The value at `tokens`; `found` is false when any step is missing. */
export function valueAtPointer(doc: unknown, tokens: readonly string[]): { found: boolean; value?: unknown } {
  let cur = doc;
  for (const t of tokens) {
    const next = child(cur, t);
    if (!next.found) return { found: false };
    cur = next.value;
  }
  return { found: true, value: cur };
}

/** Removes the value at `tokens` from `doc` (in place; an array item is spliced out). False when it was not there. */
export function removeAtPointer(doc: unknown, tokens: readonly string[]): boolean {
  if (tokens.length === 0) return false;
  const parent = valueAtPointer(doc, tokens.slice(0, -1));
  if (!parent.found) return false;
  const last = tokens[tokens.length - 1];
  const p = parent.value;
  if (Array.isArray(p)) {
    const i = arrayIndex(last);
    if (i === undefined || i >= p.length) return false;
    p.splice(i, 1);
    return true;
  }
  if (!isRecord(p) || !Object.hasOwn(p, last)) return false;
  delete p[last];
  return true;
}

/**
 * Sets the value at `tokens` in `doc` (in place), creating missing objects on the way. False when
 * that cannot be done: the root, a step through a scalar, or an array index past the end.
 */
export function setAtPointer(doc: unknown, tokens: readonly string[], value: unknown): boolean {
  if (tokens.length === 0) return false;
  let cur = doc;
  for (const [n, t] of tokens.entries()) {
    const last = n === tokens.length - 1;
    if (Array.isArray(cur)) {
      const i = arrayIndex(t);
      if (i === undefined || i >= cur.length) return false;
      if (last) cur[i] = value;
      cur = cur[i];
      continue;
    }
    if (!isRecord(cur)) return false;
    if (last) {
      cur[t] = value;
    } else if (cur[t] === undefined || cur[t] === null) {
      cur[t] = {};
    }
    cur = cur[t];
  }
  return true;
}

/**
 * A deep copy of `doc` without the values at `pointers` (parsed). Array items are removed from the
 * highest index down, so that removing one does not shift the next pointer's target.
 */
export function withoutPointers<T>(doc: T, pointers: readonly (readonly string[])[]): T {
  const copy = structuredClone(doc);
  for (const tokens of [...pointers].sort(removalOrder)) removeAtPointer(copy, tokens);
  return copy;
}

function child(cur: unknown, token: string): { found: boolean; value?: unknown } {
  if (Array.isArray(cur)) {
    const i = arrayIndex(token);
    return i !== undefined && i < cur.length ? { found: true, value: cur[i] } : { found: false };
  }
  if (isRecord(cur) && Object.hasOwn(cur, token)) return { found: true, value: cur[token] };
  return { found: false };
}

/** RFC 6901 array index: "0" or digits without a leading zero ("-", past the end, never exists here). */
function arrayIndex(token: string): number | undefined {
  return /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : undefined;
}

/**
 * Sort order for removing several pointers from one document: array items from the highest index
 * down, deeper pointers before their parents (token by token, numbers compared as numbers, reversed).
 */
export function removalOrder(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    const x = arrayIndex(a[i]);
    const y = arrayIndex(b[i]);
    if (x !== undefined && y !== undefined) return y - x;
    return a[i] < b[i] ? 1 : -1;
  }
  return b.length - a.length;
}
