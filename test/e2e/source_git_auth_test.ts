/**
 * GitRepository authentication end to end: basic, bearer, HTTPS with a private CA and a client
 * certificate, SSH with an encrypted identity; a Secret change is picked up through the Secret
 * watch, without waiting for the interval.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { makeTls, sshKey, startGitHttpServer, startGitSshServer, startHttpProxy } from "../support/git_server.ts";
import {
  condition,
  createGitRepository,
  createSecret,
  download,
  failedWith,
  isReady,
  secretRef,
  sourceEnv,
  waitForRepo,
} from "./source_support.ts";

describe("source: GitRepository authentication", () => {
  it("basic auth, and a fixed Secret recovers the object at once (Secret watch)", async (t) => {
    const env = await sourceEnv(t, { http: { auth: { username: "flux", password: "p4ss-word" } } });
    const repo = await env.git.repo("r");
    const c1 = await repo.commit({ "a.txt": "a" });
    await createSecret(env.api, env.ns, "creds", { username: "flux", password: "bad-guess" });
    await createGitRepository(env.api, env.ns, "r", { url: env.http.url("r"), ref: { branch: "main" }, secretRef: { name: "creds" }, interval: "1h" });
    await waitForRepo(env.api, env.ns, "r", "auth failure", failedWith("GitOperationFailed", "FetchFailed"));
    await env.api.mergePatch(secretRef, env.ns, "creds", { stringData: { password: "p4ss-word" } });
    const r = await waitForRepo(env.api, env.ns, "r", "Ready after the Secret changed", isReady, 15_000);
    assert.equal(r.status!.artifact!.revision, `main@sha1:${c1}`);
    assert.equal(condition(r, "FetchFailed"), undefined);
  });

  it("bearer token", async (t) => {
    const env = await sourceEnv(t, { http: { auth: { bearerToken: "s3cr3t-token" } } });
    const repo = await env.git.repo("r");
    await repo.commit({ "a.txt": "a" });
    await createSecret(env.api, env.ns, "token", { bearerToken: "s3cr3t-token" });
    await createGitRepository(env.api, env.ns, "r", { url: env.http.url("r"), ref: { branch: "main" }, secretRef: { name: "token" } });
    const r = await waitForRepo(env.api, env.ns, "r", "Ready", isReady);
    assert.equal((await download(r.status!.artifact!.url)).digest, r.status!.artifact!.digest);
  });

  it("HTTPS with a private CA and mutual TLS", async (t) => {
    const env = await sourceEnv(t);
    const tls = await makeTls();
    const https = await startGitHttpServer(env.git.root, { tls, requireClientCert: true, auth: { username: "u", password: "pw-123" } });
    t.after(() => https.stop());
    const repo = await env.git.repo("r");
    await repo.commit({ "a.txt": "a" });
    await createSecret(env.api, env.ns, "tls", { "ca.crt": tls.caCert, "tls.crt": tls.clientCert, "tls.key": tls.clientKey, username: "u", password: "pw-123" });
    await createSecret(env.api, env.ns, "ca-only", { "ca.crt": tls.caCert });
    await createGitRepository(env.api, env.ns, "mtls", { url: https.url("r"), ref: { branch: "main" }, secretRef: { name: "tls" } });
    await createGitRepository(env.api, env.ns, "no-client-cert", { url: https.url("r"), ref: { branch: "main" }, secretRef: { name: "ca-only" } });
    await createGitRepository(env.api, env.ns, "no-ca", { url: https.url("r"), ref: { branch: "main" } });
    await waitForRepo(env.api, env.ns, "mtls", "mTLS Ready", isReady);
    const noCa = await waitForRepo(env.api, env.ns, "no-ca", "untrusted server", failedWith("GitOperationFailed", "FetchFailed"));
    assert.match(condition(noCa, "FetchFailed")!.message, /unable to reach 'https:\/\/127\.0\.0\.1:\d+\/r\.git'.*(certificate|SSL)/i);
    await waitForRepo(env.api, env.ns, "no-client-cert", "client cert required", failedWith("GitOperationFailed", "FetchFailed"));
  });

  it("SSH with an encrypted identity, its passphrase and known_hosts", async (t) => {
    const env = await sourceEnv(t);
    const repo = await env.git.repo("r");
    const c1 = await repo.commit({ "a.txt": "a" });
    const key = await sshKey("key-passphrase");
    const sshd = await startGitSshServer(env.git.root, [key.publicKey]);
    t.after(() => sshd.stop());
    await createSecret(env.api, env.ns, "ssh", { identity: key.privateKey, password: "key-passphrase", known_hosts: sshd.knownHosts });
    await createSecret(env.api, env.ns, "ssh-nopass", { identity: key.privateKey, known_hosts: sshd.knownHosts });
    await createGitRepository(env.api, env.ns, "r", { url: sshd.url("r"), ref: { branch: "main" }, secretRef: { name: "ssh" } });
    await createGitRepository(env.api, env.ns, "nopass", { url: sshd.url("r"), ref: { branch: "main" }, secretRef: { name: "ssh-nopass" } });
    const r = await waitForRepo(env.api, env.ns, "r", "Ready over SSH", isReady);
    assert.equal(r.status!.artifact!.revision, `main@sha1:${c1}`);
    const np = await waitForRepo(env.api, env.ns, "nopass", "encrypted key without passphrase", failedWith("AuthenticationFailed", "FetchFailed"));
    assert.equal(condition(np, "FetchFailed")!.message, `Secret '${env.ns}/ssh-nopass': SSH identity key is encrypted but no 'password' field (the passphrase) is set`);
  });

  it("proxySecretRef: fetches through an authenticating proxy", async (t) => {
    const env = await sourceEnv(t);
    const proxy = await startHttpProxy({ username: "proxy-user", password: "proxy-pass" });
    t.after(() => proxy.stop());
    const repo = await env.git.repo("r");
    await repo.commit({ "a.txt": "a" });
    await createSecret(env.api, env.ns, "proxy", { address: proxy.address, username: "proxy-user", password: "proxy-pass" });
    await createSecret(env.api, env.ns, "proxy-bad", { address: proxy.address, username: "proxy-user", password: "nope-nope" });
    await createSecret(env.api, env.ns, "proxy-empty", { username: "x" });
    await createGitRepository(env.api, env.ns, "r", { url: env.http.url("r"), ref: { branch: "main" }, proxySecretRef: { name: "proxy" } });
    await createGitRepository(env.api, env.ns, "bad", { url: env.http.url("r"), ref: { branch: "main" }, proxySecretRef: { name: "proxy-bad" } });
    await createGitRepository(env.api, env.ns, "empty", { url: env.http.url("r"), ref: { branch: "main" }, proxySecretRef: { name: "proxy-empty" } });
    await waitForRepo(env.api, env.ns, "r", "Ready through the proxy", isReady);
    assert.ok(proxy.forwarded > 0, "requests went through the proxy");
    const bad = await waitForRepo(env.api, env.ns, "bad", "proxy auth refused", failedWith("GitOperationFailed", "FetchFailed"));
    assert.doesNotMatch(JSON.stringify(bad), /nope-nope/);
    const empty = await waitForRepo(env.api, env.ns, "empty", "proxy secret without address", failedWith("AuthenticationFailed", "FetchFailed"));
    assert.equal(condition(empty, "FetchFailed")!.message, `proxy Secret '${env.ns}/proxy-empty' has no 'address' key`);
  });
});
