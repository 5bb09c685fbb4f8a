/**
 * GitRepository bad input: each case ends with the condition type, Flux's reason and a message
 * that names what is at fault; no credential shows anywhere; the last good artifact stays.
 */
import assert from "node:assert/strict";
import { symlink } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { sshKey, startGitSshServer } from "../support/git_server.ts";
import {
  condition,
  createGitRepository,
  createSecret,
  download,
  eventsFor,
  failedWith,
  gitRepositoryRef,
  isReady,
  sourceEnv,
  waitForRepo,
} from "./source_support.ts";

describe("source: GitRepository bad input", () => {
  it("unreachable host, missing branch, tag and commit, semver with no match", async (t) => {
    const env = await sourceEnv(t);
    const repo = await env.git.repo("r");
    await repo.commit({ "a.txt": "a" });
    await repo.tag("v1.0.0");
    const url = env.http.url("r");
    await createGitRepository(env.api, env.ns, "unreachable", { url: "http://127.0.0.1:9/nowhere.git" });
    await createGitRepository(env.api, env.ns, "branch", { url, ref: { branch: "nope" } });
    await createGitRepository(env.api, env.ns, "tag", { url, ref: { tag: "v9.9.9" } });
    await createGitRepository(env.api, env.ns, "commit", { url, ref: { commit: "0123456789abcdef0123456789abcdef01234567" } });
    await createGitRepository(env.api, env.ns, "semver", { url, ref: { semver: ">=2.0.0" } });
    const expect = async (name: string, re: RegExp) => {
      const r = await waitForRepo(env.api, env.ns, name, `${name} failed`, failedWith("GitOperationFailed", "FetchFailed"));
      assert.match(condition(r, "FetchFailed")!.message, re, name);
      assert.equal(condition(r, "Ready")!.message, condition(r, "FetchFailed")!.message);
      assert.equal(r.status?.artifact, undefined);
    };
    await expect("unreachable", /^failed to checkout and determine revision: unable to reach 'http:\/\/127\.0\.0\.1:9\/nowhere\.git'/);
    await expect("branch", /couldn't find remote ref 'refs\/heads\/nope'/);
    await expect("tag", /couldn't find remote ref 'refs\/tags\/v9\.9\.9'/);
    await expect("commit", /couldn't find commit '0123456789abcdef0123456789abcdef01234567'/);
    await expect("semver", /no match found for semver: >=2\.0\.0/);
    const warnings = await eventsFor(env.api, env.ns, "branch");
    assert.ok(warnings.some((e) => e.type === "Warning" && e.reason === "GitOperationFailed"));
  });

  it("wrong password and a Secret missing its keys; the password never shows", async (t) => {
    const env = await sourceEnv(t, { http: { auth: { username: "git", password: "right-password" } } });
    const repo = await env.git.repo("r");
    await repo.commit({ "a.txt": "a" });
    await createSecret(env.api, env.ns, "wrong", { username: "git", password: "wrong-password" });
    await createSecret(env.api, env.ns, "empty", { note: "nothing useful" });
    await createSecret(env.api, env.ns, "half", { password: "only-a-password" });
    await createGitRepository(env.api, env.ns, "wrong", { url: env.http.url("r"), ref: { branch: "main" }, secretRef: { name: "wrong" } });
    await createGitRepository(env.api, env.ns, "empty", { url: env.http.url("r"), ref: { branch: "main" }, secretRef: { name: "empty" } });
    await createGitRepository(env.api, env.ns, "half", { url: env.http.url("r"), ref: { branch: "main" }, secretRef: { name: "half" } });
    await createGitRepository(env.api, env.ns, "missing", { url: env.http.url("r"), ref: { branch: "main" }, secretRef: { name: "no-such-secret" } });
    const wrong = await waitForRepo(env.api, env.ns, "wrong", "wrong password", failedWith("GitOperationFailed", "FetchFailed"));
    assert.match(condition(wrong, "FetchFailed")!.message, /authentication to 'http:\/\/127\.0\.0\.1:\d+\/r\.git' failed/);
    const empty = await waitForRepo(env.api, env.ns, "empty", "empty secret", failedWith("AuthenticationFailed", "FetchFailed"));
    assert.match(condition(empty, "FetchFailed")!.message, new RegExp(`Secret '${env.ns}/empty' has none of the keys 'username'/'password', 'bearerToken'`));
    const half = await waitForRepo(env.api, env.ns, "half", "half secret", failedWith("AuthenticationFailed", "FetchFailed"));
    assert.equal(condition(half, "FetchFailed")!.message, `Secret '${env.ns}/half' has a 'password' but no 'username' key`);
    const missing = await waitForRepo(env.api, env.ns, "missing", "missing secret", failedWith("AuthenticationFailed", "FetchFailed"));
    assert.equal(condition(missing, "FetchFailed")!.message, `failed to get auth Secret '${env.ns}/no-such-secret': not found`);
    for (const name of ["wrong", "half"]) {
      const everything = JSON.stringify([await env.api.get(gitRepositoryRef, env.ns, name), await eventsFor(env.api, env.ns, name)]);
      assert.doesNotMatch(everything, /wrong-password|only-a-password|right-password/);
    }
  });

  it("unknown and changed SSH host keys", async (t) => {
    const env = await sourceEnv(t);
    const repo = await env.git.repo("r");
    await repo.commit({ "a.txt": "a" });
    const user = await sshKey();
    const sshd = await startGitSshServer(env.git.root, [user.publicKey]);
    t.after(() => sshd.stop());
    const impostor = await sshKey();
    await createSecret(env.api, env.ns, "changed", { identity: user.privateKey, known_hosts: `[127.0.0.1]:${sshd.port} ${impostor.publicKey.split(" ").slice(0, 2).join(" ")}` });
    await createSecret(env.api, env.ns, "unknown", { identity: user.privateKey, known_hosts: `[example.com]:22 ${impostor.publicKey.split(" ").slice(0, 2).join(" ")}` });
    await createSecret(env.api, env.ns, "no-known-hosts", { identity: user.privateKey });
    for (const name of ["changed", "unknown", "no-known-hosts"]) {
      await createGitRepository(env.api, env.ns, name, { url: sshd.url("r"), ref: { branch: "main" }, secretRef: { name } });
    }
    for (const name of ["changed", "unknown"]) {
      const r = await waitForRepo(env.api, env.ns, name, `${name} host key`, failedWith("GitOperationFailed", "FetchFailed"));
      assert.match(condition(r, "FetchFailed")!.message, /host key verification failed for 'ssh:\/\/\w+@127\.0\.0\.1:\d+\/.*r\.git': the key the server presented is not in the Secret's known_hosts/);
    }
    const nk = await waitForRepo(env.api, env.ns, "no-known-hosts", "no known_hosts", failedWith("AuthenticationFailed", "FetchFailed"));
    assert.match(condition(nk, "FetchFailed")!.message, /has no 'known_hosts' key/);
  });

  it("includes: a missing GitRepository waits, a toPath escaping with ../ is refused", async (t) => {
    const env = await sourceEnv(t, { flags: { requeueDependencyMs: 500 } });
    const repo = await env.git.repo("r");
    await repo.commit({ "a.txt": "a" });
    await createGitRepository(env.api, env.ns, "missing", { url: env.http.url("r"), ref: { branch: "main" }, include: [{ repository: { name: "ghost" } }] });
    await createGitRepository(env.api, env.ns, "escape", { url: env.http.url("r"), ref: { branch: "main" }, include: [{ repository: { name: "missing" }, toPath: "../../etc" }] });
    const missing = await waitForRepo(env.api, env.ns, "missing", "include missing", failedWith("NotFound", "IncludeUnavailable"));
    assert.equal(condition(missing, "IncludeUnavailable")!.message, `could not get resource for include 'ghost': GitRepository '${env.ns}/ghost' not found`);
    const escape = await waitForRepo(env.api, env.ns, "escape", "toPath escape", failedWith("IllegalPath", "StorageOperationFailed"));
    assert.equal(condition(escape, "StorageOperationFailed")!.message, "include 'missing': toPath '../../etc' points outside the artifact");
    assert.equal(condition(escape, "Stalled")?.status, "True");
    // Creating the included repository unblocks the include at once (watch), not at the interval.
    await createGitRepository(env.api, env.ns, "ghost", { url: env.http.url("r"), ref: { branch: "main" } });
    await waitForRepo(env.api, env.ns, "missing", "include now available", isReady);
  });

  it("a symlink pointing outside the repository fails packaging, and the last good artifact stays served", async (t) => {
    const env = await sourceEnv(t);
    const repo = await env.git.repo("r");
    await repo.commit({ "a.txt": "a", "inside-target.txt": "t" });
    await symlink("inside-target.txt", join(repo.work, "inside-link"));
    await repo.commit({}, "an in-tree link");
    await createGitRepository(env.api, env.ns, "r", { url: env.http.url("r"), ref: { branch: "main" } });
    const good = await waitForRepo(env.api, env.ns, "r", "good Ready", isReady);
    await symlink("/etc/passwd", join(repo.work, "passwd"));
    const bad = await repo.commit({}, "a link out of the tree");
    await env.api.mergePatch(gitRepositoryRef, env.ns, "r", { metadata: { annotations: { "reconcile.fluxcd.io/requestedAt": "1" } } });
    const failed = await waitForRepo(env.api, env.ns, "r", "symlink refused", failedWith("IllegalPath", "StorageOperationFailed"));
    assert.equal(
      condition(failed, "StorageOperationFailed")!.message,
      `unable to archive revision 'main@sha1:${bad}': symlink 'passwd' points outside the repository; leave it out with .sourceignore or spec.ignore`,
    );
    assert.deepEqual(failed.status!.artifact, good.status!.artifact, "the last good artifact stays in status");
    assert.equal(condition(failed, "ArtifactOutdated")?.reason, "NewRevision");
    const served = await download(failed.status!.artifact!.url);
    assert.equal(served.digest, good.status!.artifact!.digest, "and stays served");
    // Ignoring the link fixes it.
    await env.api.mergePatch(gitRepositoryRef, env.ns, "r", { spec: { ignore: "passwd\n" } });
    const fixed = await waitForRepo(env.api, env.ns, "r", "fixed", (x) => isReady(x) && x.status?.artifact?.revision === `main@sha1:${bad}`);
    assert.equal(condition(fixed, "StorageOperationFailed"), undefined);
  });

  it("a repository over the clone size cap, and an artifact over its cap", async (t) => {
    const env = await sourceEnv(t, { flags: { gitMaxCloneBytes: 2 * 1024 * 1024 } });
    const big = await env.git.repo("big");
    const { randomBytes } = await import("node:crypto");
    await big.commit({ "blob.bin": randomBytes(6 * 1024 * 1024) });
    await createGitRepository(env.api, env.ns, "big", { url: env.http.url("big"), ref: { branch: "main" } });
    const r = await waitForRepo(env.api, env.ns, "big", "clone too large", failedWith("GitOperationFailed", "FetchFailed"));
    assert.match(condition(r, "FetchFailed")!.message, /exceeds the size limit of 2097152 bytes/);
  });

  it("an artifact over the artifact size cap", async (t) => {
    const env = await sourceEnv(t, { flags: { artifactMaxBytes: 64 * 1024 } });
    const big = await env.git.repo("big");
    const { randomBytes } = await import("node:crypto");
    await big.commit({ "blob.bin": randomBytes(256 * 1024) });
    await createGitRepository(env.api, env.ns, "big", { url: env.http.url("big"), ref: { branch: "main" } });
    const r = await waitForRepo(env.api, env.ns, "big", "artifact too large", failedWith("ArchiveOperationFailed", "StorageOperationFailed"));
    assert.match(condition(r, "StorageOperationFailed")!.message, /the artifact exceeds the limit of 65536 bytes/);
  });

  it("a server that does not answer within spec.timeout: FetchFailed, and the last good artifact stays served", async (t) => {
    const env = await sourceEnv(t);
    const repo = await env.git.repo("r");
    await repo.commit({ "a.txt": "a" });
    await createGitRepository(env.api, env.ns, "r", { url: env.http.url("r"), ref: { branch: "main" }, timeout: "1s" });
    const good = await waitForRepo(env.api, env.ns, "r", "Ready", isReady);
    const { createServer } = await import("node:net");
    const sockets = new Set<import("node:net").Socket>();
    const silent = createServer((sock) => void sockets.add(sock));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    t.after(() => {
      for (const sock of sockets) sock.destroy();
      return new Promise((r) => silent.close(() => r(undefined)));
    });
    const port = (silent.address() as { port: number }).port;
    await env.api.mergePatch(gitRepositoryRef, env.ns, "r", { spec: { url: `http://127.0.0.1:${port}/r.git` } });
    const failed = await waitForRepo(env.api, env.ns, "r", "timed out", failedWith("GitOperationFailed", "FetchFailed"));
    assert.equal(condition(failed, "FetchFailed")!.message, `failed to checkout and determine revision: 'http://127.0.0.1:${port}/r.git' did not answer within spec.timeout (1s)`);
    assert.deepEqual(failed.status!.artifact, good.status!.artifact);
    assert.equal((await download(failed.status!.artifact!.url)).digest, good.status!.artifact!.digest);
  });
});
