import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GitRepositoryRef } from "../../api/source/git_repository.ts";
import { authSecrets, type GitAuth } from "./git_auth.ts";
import { gitEnv } from "./git_env.ts";
import type { SshAlgorithms } from "./ssh_algorithms.ts";
import { type RemoteRef, RefNotFoundError, refsToList, resolveRemoteRef } from "./remote_ref.ts";
import { pickSemverTag } from "./semver_tag.ts";
import { GitCommandError, runGit, runGitOutput } from "./run_git.ts";

export interface CheckoutOptions {
  /** Fetch the tag object too (needed to verify a tag's signature). */
  keepTag?: boolean;
  sparseCheckout?: string[];
  recurseSubmodules?: boolean;
  /** Cap on the size of the clone (.git plus work tree), in bytes. */
  maxBytes: number;
}

export interface CheckedOut {
  commit: string;
  /** The raw commit object (headers, signature, message). */
  commitObject: string;
  subject: string;
}

/**
 * Git operations against one remote with one set of credentials. The credentials live in a
 * private temp directory for the session's lifetime; call close() to remove it.
 */
export class GitSession {
  /** The URL given to git: no userinfo for http(s), "git@" added for ssh without a user. */
  readonly url: string;
  readonly #env: Record<string, string>;
  readonly #dir: string;
  readonly #secrets: string[];
  readonly #signal: AbortSignal;

  private constructor(url: string, env: Record<string, string>, dir: string, secrets: string[], signal: AbortSignal) {
    this.url = url;
    this.#env = env;
    this.#dir = dir;
    this.#secrets = secrets;
    this.#signal = signal;
  }

  static async open(rawUrl: string, auth: GitAuth, signal: AbortSignal, sshAlgorithms: SshAlgorithms = {}): Promise<GitSession> {
    const u = new URL(rawUrl);
    if (u.protocol === "ssh:") {
      if (!u.username) u.username = "git";
      u.password = "";
    } else {
      u.username = "";
      u.password = "";
    }
    const dir = await mkdtemp(join(tmpdir(), "sluice-git-auth-"));
    try {
      const env = await gitEnv(auth, dir, sshAlgorithms);
      return new GitSession(u.toString(), env, dir, authSecrets(auth), signal);
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }

  async close(): Promise<void> {
    await rm(this.#dir, { recursive: true, force: true });
  }

  /** Where the ref points now: one `git ls-remote` (none for a commit ref). */
  async resolve(ref: GitRepositoryRef | undefined): Promise<RemoteRef> {
    const what = refsToList(ref);
    if (!what) return resolveRemoteRef(ref, new Map());
    const args = ["ls-remote", ...(what.tags ? ["--tags"] : []), this.url, ...what.patterns];
    const out = await this.#git(args);
    const listing = new Map<string, string>();
    for (const line of out.split("\n")) {
      const [hash, name] = line.split("\t");
      if (hash && name) listing.set(name, hash);
    }
    if (ref?.semver && !ref.commit && !ref.name && !ref.tag) {
      const tags = [...listing.keys()].filter((k) => k.startsWith("refs/tags/") && !k.endsWith("^{}")).map((k) => k.slice(10));
      const ties = pickSemverTag(ref.semver, tags)?.ties ?? [];
      if (ties.length > 1) return resolveRemoteRef(ref, listing, await this.#commitTimes(ties));
    }
    return resolveRemoteRef(ref, listing);
  }

  /** Committer times of the commits the tags point to (a shallow fetch of just those tags). */
  async #commitTimes(tags: string[]): Promise<Map<string, number>> {
    const dir = join(this.#dir, "tie-break");
    await this.#git(["init", "-q", "--bare", dir]);
    await this.#git(["-C", dir, "fetch", "-q", "--depth", "1", "--no-tags", this.url, ...tags.map((t) => `+refs/tags/${t}:refs/tags/${t}`)]);
    const out = await this.#git(["-C", dir, "for-each-ref", "--format=%(refname:strip=2) %(*committerdate:unix) %(committerdate:unix)", "refs/tags"]);
    const times = new Map<string, number>();
    for (const line of out.split("\n")) {
      const [tag, peeled, own] = line.split(" ");
      if (tag) times.set(tag, Number(peeled || own || 0));
    }
    await rm(dir, { recursive: true, force: true });
    return times;
  }

  /** A shallow fetch of the ref into `dir` (created), checked out detached. */
  async checkout(remote: RemoteRef, dir: string, opts: CheckoutOptions): Promise<CheckedOut> {
    await mkdir(dir, { recursive: true });
    await this.#git(["init", "-q", dir]);
    const sparse = (opts.sparseCheckout ?? []).map((p) => p.replace(/^\.\//, "").replace(/\/+$/, "")).filter(Boolean);
    if (sparse.length > 0) {
      await this.#git(["-C", dir, "config", "core.sparseCheckout", "true"]);
      await writeFile(join(dir, ".git", "info", "sparse-checkout"), sparse.map((p) => `/${p}/\n`).join(""));
    }
    const limit = { dir, maxBytes: opts.maxBytes };
    const fetch = ["-C", dir, "fetch", "-q", "--no-tags"];
    if (remote.branch) {
      // The commit must be on the branch: fetch the branch's history, then check.
      await this.#git([...fetch, this.url, `+refs/heads/${remote.branch}:refs/remotes/origin/${remote.branch}`], limit);
      const inBranch = await this.#git(["-C", dir, "merge-base", "--is-ancestor", remote.commit, `refs/remotes/origin/${remote.branch}`]).then(
        () => true,
        () => false,
      );
      if (!inBranch) throw new RefNotFoundError(`commit '${remote.commit}' is not on branch '${remote.branch}'`);
    } else {
      const refspec = opts.keepTag && remote.tag ? `+refs/tags/${remote.tag}:refs/tags/${remote.tag}` : remote.fetch;
      await this.#git([...fetch, "--depth", "1", this.url, refspec], limit).catch((err: unknown) => {
        if (err instanceof GitCommandError && /not our ref|couldn't find remote ref|no such remote ref|unadvertised object/i.test(err.stderr)) {
          throw new RefNotFoundError(/^[0-9a-f]{40}$/.test(remote.fetch) ? `couldn't find commit '${remote.fetch}'` : `couldn't find remote ref '${remote.fetch}'`);
        }
        throw err;
      });
    }
    const target = remote.branch ? remote.commit : "FETCH_HEAD";
    await this.#git(["-C", dir, "checkout", "-q", "--detach", target], limit);
    if (opts.recurseSubmodules) {
      await this.#git(["-C", dir, "submodule", "update", "-q", "--init", "--recursive", "--depth", "1"], limit);
    }
    for (const p of sparse) {
      const ok = await stat(join(dir, p)).then((s) => s.isDirectory(), () => false);
      if (!ok) throw new RefNotFoundError(`sparse checkout dir '${p}' does not exist`);
    }
    const commitObject = await this.#git(["-C", dir, "cat-file", "commit", "HEAD"]);
    const commit = (await this.#git(["-C", dir, "rev-parse", "HEAD"])).trim();
    const message = commitObject.slice(commitObject.indexOf("\n\n") + 2);
    return { commit, commitObject, subject: message.split("\n")[0] ?? "" };
  }

  /** Runs git in this session's environment with extra variables; returns stdout and stderr. */
  run(args: string[], env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string }> {
    return runGitOutput(args, { env: { ...this.#env, ...env }, signal: this.#signal, secrets: this.#secrets });
  }

  #git(args: string[], sizeLimit?: { dir: string; maxBytes: number }): Promise<string> {
    return runGit(args, { env: this.#env, signal: this.#signal, secrets: this.#secrets, sizeLimit });
  }
}
