import { compare, compareBuild, eq, parse, type SemVer, satisfies, validRange } from "semver";

/** A semver range that cannot be parsed. */
export class SemverRangeError extends Error {
  constructor(range: string) {
    super(`invalid semver range '${range}'`);
    this.name = "SemverRangeError";
  }
}

/**
 * Parses a tag as Flux does (Masterminds, via fluxcd/pkg/version): exactly three dot-separated
 * parts, an optional "v" prefix, leading zeros allowed.
 */
export function parseTagVersion(tag: string): SemVer | undefined {
  const raw = tag.startsWith("v") || tag.startsWith("V") ? tag.slice(1) : tag;
  const parts = raw.split(".");
  if (parts.length < 3) return undefined;
  const [major, minor] = parts;
  const rest = parts.slice(2).join(".");
  const m = /^(\d+)(.*)$/.exec(rest);
  if (!/^\d+$/.test(major) || !/^\d+$/.test(minor) || !m) return undefined;
  const n = (s: string) => String(Number.parseInt(s, 10));
  return parse(`${n(major)}.${n(minor)}.${n(m[1])}${m[2]}`) ?? undefined;
}

/**
 * The highest tag matching a Masterminds-style range: "," and spaces mean AND, "||" OR, "!="
 * excludes a version, and prereleases match only when a comparator in that part names one.
 * Ties (versions equal but for build metadata) go to the higher build, then the later name;
 * `ties` lists them all, for a caller that can break them by commit time as Flux does.
 */
export function pickSemverTag(range: string, tags: string[]): { tag: string; version: SemVer; ties: string[] } | undefined {
  const groups = range.split("||").map((g) => parseGroup(g, range));
  let best: { tag: string; version: SemVer } | undefined;
  const matching: Array<{ tag: string; version: SemVer }> = [];
  for (const tag of tags) {
    const version = parseTagVersion(tag);
    if (!version || !groups.some((g) => g.matches(version))) continue;
    matching.push({ tag, version });
    if (!best) {
      best = { tag, version };
      continue;
    }
    const c = compare(version, best.version) || compareBuild(version, best.version) || (tag > best.tag ? 1 : -1);
    if (c > 0) best = { tag, version };
  }
  if (!best) return undefined;
  const top = best.version;
  return { ...best, ties: matching.filter((m) => compare(m.version, top) === 0).map((m) => m.tag) };
}

function parseGroup(group: string, whole: string): { matches(v: SemVer): boolean } {
  const excluded: SemVer[] = [];
  const rest = group
    .replace(/!=\s*([^\s,]+)/g, (_m, v: string) => {
      const parsed = parseTagVersion(v.includes(".") && v.split(".").length >= 3 ? v : `${v}.0.0`.split(".").slice(0, 3).join("."));
      if (!parsed) throw new SemverRangeError(whole);
      excluded.push(parsed);
      return " ";
    })
    .replace(/,/g, " ")
    .replace(/(^|[\s<>=~^])v(?=\d)/g, "$1")
    .trim();
  const includePrerelease = /\d-[0-9A-Za-z]/.test(rest);
  const npmRange = rest === "" ? "*" : rest;
  if (validRange(npmRange, { includePrerelease }) === null) throw new SemverRangeError(whole);
  return {
    matches: (v) => satisfies(v, npmRange, { includePrerelease }) && !excluded.some((x) => eq(x, v)),
  };
}
