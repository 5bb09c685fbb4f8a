import type { GitRepositoryRef } from "../../api/source/git_repository.ts";
import { pickSemverTag } from "./semver_tag.ts";

/** Where a GitRepository's ref points on the remote, and how to fetch it. */
export interface RemoteRef {
  /** What to pass to `git fetch`: a full ref name or a commit hash. */
  fetch: string;
  /** The commit, when known before fetching (always, except for a commit ref not yet fetched). */
  commit: string;
  /** The part of the revision before "@", or undefined for a bare commit. */
  label?: string;
  /** Set when the checkout went through a tag (branch refs have none): needed for Tag verification. */
  tag?: string;
  /** commit + branch: the branch that must contain the commit. */
  branch?: string;
}

/** The ref does not exist on the remote, or no tag matches the range. */
export class RefNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RefNotFoundError";
  }
}

/** A ref name that git would take as something else (an option, a pattern). */
export class InvalidRefError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidRefError";
  }
}

/** `main@sha1:<hex>`, `v1.2.3@sha1:<hex>`, `refs/pull/1/head@sha1:<hex>` or `sha1:<hex>`. */
export function revisionOf(ref: Pick<RemoteRef, "label" | "commit">): string {
  return ref.label ? `${ref.label}@sha1:${ref.commit}` : `sha1:${ref.commit}`;
}

/** The commit hash in a revision string (either form Flux writes, old or new). */
export function commitOfRevision(revision: string): string | undefined {
  return /(?:sha1:|\/)([0-9a-f]{40})$/.exec(revision)?.[1];
}

/** Which refs to ask `git ls-remote` for; undefined when the ref needs no listing (a commit). */
export function refsToList(ref: GitRepositoryRef | undefined): { patterns: string[]; tags?: boolean } | undefined {
  const r = ref ?? {};
  if (r.commit) return undefined;
  if (r.name) return { patterns: [checked(r.name, "ref.name"), `${r.name}^{}`] };
  if (r.tag) return { patterns: [`refs/tags/${checked(r.tag, "ref.tag")}`, `refs/tags/${r.tag}^{}`] };
  if (r.semver) return { patterns: [], tags: true };
  return { patterns: [`refs/heads/${checked(r.branch || "master", "ref.branch")}`] };
}

/**
 * Resolves the ref with Flux's precedence (commit > name > tag > semver > branch, default
 * branch master) against the remote's listing (ref name → hash, with peeled `^{}` entries).
 * `commitTimes` (tag → committer time) breaks ties between equal semver versions.
 */
export function resolveRemoteRef(ref: GitRepositoryRef | undefined, listing: Map<string, string>, commitTimes?: Map<string, number>): RemoteRef {
  const r = ref ?? {};
  if (r.commit) {
    const commit = r.commit.toLowerCase();
    if (!/^[0-9a-f]{40}$/.test(commit)) throw new InvalidRefError(`ref.commit '${r.commit}' is not a full 40-character SHA-1`);
    return { fetch: commit, commit, label: r.branch || undefined, branch: r.branch ? checked(r.branch, "ref.branch") : undefined };
  }
  const peeled = (name: string) => listing.get(`${name}^{}`) ?? listing.get(name);
  if (r.name) {
    const name = r.name;
    if (name.endsWith("^{}")) {
      const commit = listing.get(name);
      if (!commit) throw new RefNotFoundError(`couldn't find remote ref '${name}'`);
      return { fetch: name.slice(0, -3), commit, label: name };
    }
    const commit = peeled(name);
    if (!commit) throw new RefNotFoundError(`couldn't find remote ref '${name}'`);
    const tag = name.startsWith("refs/tags/") ? name.slice("refs/tags/".length) : undefined;
    return { fetch: name, commit, label: name, tag };
  }
  if (r.tag) {
    const commit = peeled(`refs/tags/${r.tag}`);
    if (!commit) throw new RefNotFoundError(`couldn't find remote ref 'refs/tags/${r.tag}'`);
    return { fetch: `refs/tags/${r.tag}`, commit, label: r.tag, tag: r.tag };
  }
  if (r.semver) {
    const tags = [...listing.keys()].filter((k) => k.startsWith("refs/tags/") && !k.endsWith("^{}")).map((k) => k.slice(10));
    const best = pickSemverTag(r.semver, tags);
    if (!best) throw new RefNotFoundError(`no match found for semver: ${r.semver}`);
    let tag = best.tag;
    // Equal versions (build metadata aside): the newest commit wins, as in Flux.
    if (commitTimes && best.ties.length > 1) {
      tag = best.ties.reduce((a, b) => ((commitTimes.get(b) ?? 0) > (commitTimes.get(a) ?? 0) ? b : a), best.tag);
    }
    return { fetch: `refs/tags/${tag}`, commit: peeled(`refs/tags/${tag}`)!, label: tag, tag };
  }
  const branch = r.branch || "master";
  const commit = listing.get(`refs/heads/${branch}`);
  if (!commit) throw new RefNotFoundError(`couldn't find remote ref 'refs/heads/${branch}'`);
  return { fetch: `refs/heads/${branch}`, commit, label: branch };
}

function checked(name: string, field: string): string {
  // git would read a leading "-" as an option; the rest are never valid in ref names.
  if (name.startsWith("-") || /[\s\x00-\x1f\x7f~:?*[\\]|\.\.|@\{/.test(name)) {
    throw new InvalidRefError(`spec.${field} '${name}' is not a valid Git reference name`);
  }
  return name;
}
