/** The git transport on its own, against real servers on loopback (no cluster needed): auth, TLS, SSH, signatures. */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  GitFixtures,
  type GitSshServer,
  gpgKey,
  makeTls,
  type SshKeyPair,
  sshKey,
  startGitHttpServer,
  startGitSshServer,
  type TestRepo,
} from "../support/git_server.ts";
import type { GitAuth } from "../../src/source/git/git_auth.ts";
import { describeGitFailure } from "../../src/source/git/git_failure.ts";
import { GitSession } from "../../src/source/git/git_session.ts";
import { revisionOf } from "../../src/source/git/remote_ref.ts";
import { SignatureError, verifySignature } from "../../src/source/git/verify_signature.ts";

const signal = new AbortController().signal;

async function fetchWith(url: string, auth: GitAuth, ref = { branch: "main" }): Promise<{ revision: string; files: string }> {
  const s = await GitSession.open(url, auth, signal);
  const dir = await mkdtemp(join(tmpdir(), "co-"));
  try {
    const remote = await s.resolve(ref);
    const co = await s.checkout(remote, join(dir, "src"), { maxBytes: 1e9 });
    return { revision: revisionOf({ ...remote, commit: co.commit }), files: await readFile(join(dir, "src", "a.txt"), "utf8") };
  } finally {
    await s.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function failureOf(url: string, auth: GitAuth): Promise<string> {
  const s = await GitSession.open(url, auth, signal);
  try {
    await s.resolve({ branch: "main" });
    return "no failure";
  } catch (err) {
    return describeGitFailure(err, s.url);
  } finally {
    await s.close();
  }
}

describe("GitSession against real servers", () => {
  let git: GitFixtures;
  let repo: TestRepo;
  let head: string;
  let userKey: SshKeyPair;
  let ssh: GitSshServer;

  before(async () => {
    git = await GitFixtures.create();
    repo = await git.repo("r");
    head = await repo.commit({ "a.txt": "hello" });
    userKey = await sshKey("s3cret-phrase");
    ssh = await startGitSshServer(git.root, [userKey.publicKey]);
  });
  after(async () => {
    await ssh.stop();
    await git.cleanup();
  });

  it("basic auth via askpass; a wrong password names the failure and hides the secret", async () => {
    const http = await startGitHttpServer(git.root, { auth: { username: "bob", password: "hunter22" } });
    try {
      assert.deepEqual(await fetchWith(http.url("r"), { username: "bob", password: "hunter22" }), { revision: `main@sha1:${head}`, files: "hello" });
      const msg = await failureOf(http.url("r"), { username: "bob", password: "wrong-pass" });
      assert.match(msg, /authentication to 'http:\/\/127\.0\.0\.1:\d+\/r\.git' failed/);
      assert.doesNotMatch(msg, /wrong-pass|hunter22/);
    } finally {
      await http.stop();
    }
  });

  it("bearer token through http.extraHeader", async () => {
    const http = await startGitHttpServer(git.root, { auth: { bearerToken: "tok-123" } });
    try {
      assert.equal((await fetchWith(http.url("r"), { bearerToken: "tok-123" })).revision, `main@sha1:${head}`);
      assert.match(await failureOf(http.url("r"), {}), /authentication .* failed/);
    } finally {
      await http.stop();
    }
  });

  it("HTTPS with a private CA and a client certificate", async () => {
    const tls = await makeTls();
    const http = await startGitHttpServer(git.root, { tls, requireClientCert: true });
    try {
      const r = await fetchWith(http.url("r"), { caCert: tls.caCert, tlsCert: tls.clientCert, tlsKey: tls.clientKey });
      assert.equal(r.revision, `main@sha1:${head}`);
      assert.match(await failureOf(http.url("r"), {}), /unable to reach/);
    } finally {
      await http.stop();
    }
  });

  it("SSH with an encrypted identity and known_hosts; unknown and changed host keys are refused", async () => {
    const auth = { identity: userKey.privateKey, passphrase: "s3cret-phrase", knownHosts: ssh.knownHosts };
    assert.equal((await fetchWith(ssh.url("r"), auth)).revision, `main@sha1:${head}`);
    const other = await sshKey();
    const changed = `[127.0.0.1]:${ssh.port} ${other.publicKey.split(" ").slice(0, 2).join(" ")}`;
    assert.match(await failureOf(ssh.url("r"), { ...auth, knownHosts: changed }), /host key verification failed/);
    assert.match(await failureOf(ssh.url("r"), { ...auth, knownHosts: "" }), /host key verification failed/);
    const msg = await failureOf(ssh.url("r"), { ...auth, passphrase: "nope-nope" });
    assert.match(msg, /authentication .* failed/);
    assert.doesNotMatch(msg, /nope-nope/);
  });

  it("verifies gpg and ssh signatures of commits and tags", async () => {
    const gpg = await gpgKey();
    const sshSigner = await sshKey();
    const signed = await git.repo("signed");
    await signed.commit({ "a.txt": "gpg" }, "gpg signed", { gpg });
    await signed.tag("v1.0.0", { sign: { ssh: sshSigner } });
    await signed.tag("light");
    const http = await startGitHttpServer(git.root);
    const s = await GitSession.open(http.url("signed"), {}, signal);
    const dir = await mkdtemp(join(tmpdir(), "co-"));
    try {
      const remote = await s.resolve({ tag: "v1.0.0" });
      await s.checkout(remote, dir, { maxBytes: 1e9, keepTag: true });
      const keys = { pgp: [gpg.publicKey], ssh: [sshSigner.publicKey] };
      assert.equal(await verifySignature(s, dir, { commit: true }, keys), gpg.keyId);
      assert.equal(await verifySignature(s, dir, { tag: "v1.0.0" }, keys), sshSigner.fingerprint);
      const stranger = await gpgKey("Stranger");
      await assert.rejects(verifySignature(s, dir, { commit: true }, { pgp: [stranger.publicKey], ssh: [] }), (e: unknown) => e instanceof SignatureError && e.reason === "InvalidCommitSignature");
      await stranger.remove();
      await assert.rejects(verifySignature(s, dir, { tag: "v1.0.0" }, { pgp: [], ssh: [(await sshKey()).publicKey] }), (e: unknown) => e instanceof SignatureError && e.reason === "InvalidTagSignature");
    } finally {
      await gpg.remove();
      await s.close();
      await http.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("semver ties (equal but for build metadata) go to the newest commit, as in Flux", async () => {
    const r = await git.repo("ties");
    const { git: run } = await import("../support/git_server.ts");
    await run(r.work, ["commit", "-q", "--allow-empty", "-m", "old"], { GIT_COMMITTER_DATE: "2020-01-01T00:00:00Z" });
    await r.push();
    await r.tag("v1.0.0+zzz");
    await run(r.work, ["commit", "-q", "--allow-empty", "-m", "new"], { GIT_COMMITTER_DATE: "2024-01-01T00:00:00Z" });
    await r.push();
    const newest = await r.head();
    await r.tag("v1.0.0+aaa", { message: "annotated" });
    const http = await startGitHttpServer(git.root);
    const s = await GitSession.open(http.url("ties"), {}, signal);
    try {
      assert.equal(revisionOf(await s.resolve({ semver: "1.0.x" })), `v1.0.0+aaa@sha1:${newest}`);
    } finally {
      await s.close();
      await http.stop();
    }
  });
});
