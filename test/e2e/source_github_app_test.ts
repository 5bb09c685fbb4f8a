/**
 * GitRepository spec.provider: github end to end: the controller signs the app's JWT, exchanges
 * it at a stand-in for GitHub's API (which verifies the signature with the public key) for an
 * installation token, and fetches over HTTP with x-access-token and that token; the token is
 * reused while fresh. Then every way the configuration can be wrong, each with Flux's reason; and
 * provider azure, which stalls.
 */
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { describe, it } from "node:test";
import { startFakeGitHubApi } from "../support/github_api_server.ts";
import {
  condition,
  createGitRepository,
  createSecret,
  failedWith,
  getGitRepository,
  isReady,
  requestReconcile,
  sourceEnv,
  waitForRepo,
} from "./source_support.ts";

const token = "ghs_16C7e42F292c6912E7710c838347Ae178B4a";

function rsaKeys() {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { privatePem: privateKey.export({ type: "pkcs1", format: "pem" }) as string, publicKey };
}

describe("source: GitRepository with provider github (GitHub App)", () => {
  it("exchanges the app's JWT for an installation token, by installation ID or owner, and reuses it while fresh", async (t) => {
    const app = rsaKeys();
    const api = await startFakeGitHubApi({ appId: "4242", publicKey: app.publicKey, installations: [{ id: 7, owner: "Other" }, { id: 77, owner: "Acme" }], token, prefix: "/api/v3" });
    t.after(() => api.stop());
    const env = await sourceEnv(t, { http: { auth: { username: "x-access-token", password: token } } });
    const repo = await env.git.repo("r");
    const c1 = await repo.commit({ "a.txt": "a" });
    const appData = { githubAppID: "4242", githubAppPrivateKey: app.privatePem, githubAppBaseURL: api.baseUrl };
    await createSecret(env.api, env.ns, "by-id", { ...appData, githubAppInstallationID: "77" });
    await createSecret(env.api, env.ns, "by-owner", { ...appData, githubAppInstallationOwner: "acme" });
    await createGitRepository(env.api, env.ns, "by-id", { url: env.http.url("r"), ref: { branch: "main" }, provider: "github", secretRef: { name: "by-id" } });
    await createGitRepository(env.api, env.ns, "by-owner", { url: env.http.url("r"), ref: { branch: "main" }, provider: "github", secretRef: { name: "by-owner" } });
    const byId = await waitForRepo(env.api, env.ns, "by-id", "Ready with the installation token", isReady);
    assert.equal(byId.status!.artifact!.revision, `main@sha1:${c1}`);
    await waitForRepo(env.api, env.ns, "by-owner", "Ready, installation found by owner", isReady);
    assert.equal(api.stats.tokens, 2, "one token per installation configuration");
    assert.equal(api.stats.listings, 1, "the owner was looked up once");
    assert.equal(api.stats.refused, 0);

    // A fresh token is reused: a new commit is fetched without another exchange.
    const c2 = await repo.commit({ "a.txt": "b" });
    const at = await requestReconcile(env.api, env.ns, "by-id");
    const again = await waitForRepo(env.api, env.ns, "by-id", "reconciled again", (r) => r.status?.lastHandledReconcileAt === at && isReady(r));
    assert.equal(again.status!.artifact!.revision, `main@sha1:${c2}`);
    assert.equal(api.stats.tokens, 2, "no new token while the cached one is fresh");
  });

  it("bad configurations: each a clear condition with Flux's reason", async (t) => {
    const app = rsaKeys();
    const stranger = rsaKeys();
    const api = await startFakeGitHubApi({ appId: "4242", publicKey: app.publicKey, installations: [{ id: 77, owner: "acme" }], token });
    t.after(() => api.stop());
    const env = await sourceEnv(t, { http: { auth: { username: "x-access-token", password: token } } });
    const repo = await env.git.repo("r");
    await repo.commit({ "a.txt": "a" });
    const url = env.http.url("r");
    const good = { githubAppID: "4242", githubAppInstallationID: "77", githubAppPrivateKey: app.privatePem, githubAppBaseURL: api.baseUrl };
    const secrets: Record<string, Record<string, string>> = {
      "no-app-data": { username: "u", password: "p" },
      "no-key": { githubAppID: "4242", githubAppInstallationID: "77", githubAppBaseURL: api.baseUrl },
      "bad-key": { ...good, githubAppPrivateKey: "-----BEGIN RSA PRIVATE KEY-----\nbm90IGEga2V5\n-----END RSA PRIVATE KEY-----\n" },
      "wrong-key": { ...good, githubAppPrivateKey: stranger.privatePem },
      "unknown-owner": { githubAppID: "4242", githubAppInstallationOwner: "nobody", githubAppPrivateKey: app.privatePem, githubAppBaseURL: api.baseUrl },
      "app-data": good,
    };
    for (const [name, data] of Object.entries(secrets)) await createSecret(env.api, env.ns, name, data);
    const github = (secret?: string) => ({ url, ref: { branch: "main" }, provider: "github" as const, ...(secret ? { secretRef: { name: secret } } : {}) });
    await createGitRepository(env.api, env.ns, "no-secret-ref", github());
    for (const name of ["no-app-data", "no-key", "bad-key", "wrong-key", "unknown-owner"]) await createGitRepository(env.api, env.ns, name, github(name));
    await createGitRepository(env.api, env.ns, "generic-with-app-data", { url, ref: { branch: "main" }, secretRef: { name: "app-data" } });
    await createGitRepository(env.api, env.ns, "azure", { url, ref: { branch: "main" }, provider: "azure" });

    const message = async (name: string, reason: string, stalled = false) => {
      const r = await waitForRepo(env.api, env.ns, name, `${name}: ${reason}`, failedWith(reason, "FetchFailed"));
      assert.equal(condition(r, "Stalled")?.status, stalled ? "True" : undefined, `${name}: stalled ${stalled}`);
      return condition(r, "FetchFailed")!.message;
    };
    assert.equal(await message("no-secret-ref", "InvalidProviderConfiguration", true), "secretRef with github app data must be specified when provider is set to github");
    assert.match(await message("no-app-data", "InvalidProviderConfiguration"), new RegExp(`^Secret '${env.ns}/no-app-data' has no github app data`));
    assert.equal(await message("no-key", "AuthenticationFailed"), `Secret '${env.ns}/no-key' has no 'githubAppPrivateKey' key: GitHub App authentication needs the app's private key`);
    assert.match(await message("bad-key", "AuthenticationFailed"), new RegExp(`^Secret '${env.ns}/bad-key': 'githubAppPrivateKey' is not a PEM-encoded RSA private key`));
    assert.equal(
      await message("wrong-key", "AuthenticationFailed"),
      `failed to configure authentication options: the GitHub API refused POST '${api.baseUrl}/app/installations/77/access_tokens': HTTP 401: A JSON web token could not be decoded`,
    );
    assert.equal(await message("unknown-owner", "AuthenticationFailed"), "failed to configure authentication options: GitHub App 4242 has no installation for owner 'nobody'");
    assert.equal(await message("generic-with-app-data", "InvalidProviderConfiguration"), `Secret '${env.ns}/app-data' has github app data but provider is not set to github`);
    assert.match(await message("azure", "InvalidProviderConfiguration", true), /^spec\.provider 'azure' authenticates with Azure workload identity, which Sluice does not support yet/);
    assert.equal(api.stats.tokens, 0);
    assert.equal(api.stats.refused, 1, "only the JWT signed with the wrong key reached the token endpoint");

    // No key material in any status.
    const keyLine = app.privatePem.split("\n")[1];
    for (const name of ["no-key", "bad-key", "wrong-key", "unknown-owner"]) {
      assert.doesNotMatch(JSON.stringify((await getGitRepository(env.api, env.ns, name)).status), new RegExp(keyLine.slice(0, 20).replace(/[+/]/g, "\\$&")));
    }
  });
});
