import assert from "node:assert/strict";
import { generateKeyPairSync, verify } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { GitAuthError } from "./git_auth.ts";
import { gitHubAppFromSecret, gitHubAppJwt, GitHubAppTokenError, GitHubAppTokens, hasGitHubAppData } from "./github_app.ts";

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const pem = rsa.privateKey.export({ type: "pkcs1", format: "pem" }) as string;
const secret = (data: Record<string, string>) => ({ ref: "ns/app", data });

test("Secret keys: app ID, exactly one installation selector, an RSA key, an http(s) base URL", () => {
  const app = gitHubAppFromSecret(secret({ githubAppID: "12", githubAppInstallationID: "34", githubAppPrivateKey: pem }));
  assert.equal(app.baseUrl, "https://api.github.com");
  assert.equal(app.installationId, "34");
  assert.equal(gitHubAppFromSecret(secret({ githubAppID: "12", githubAppInstallationOwner: "acme", githubAppPrivateKey: pem, githubAppBaseURL: "https://ghe.example.com/api/v3/" })).baseUrl, "https://ghe.example.com/api/v3");
  const bad = (data: Record<string, string>, message: RegExp) => assert.throws(() => gitHubAppFromSecret(secret(data)), (err: unknown) => err instanceof GitAuthError && message.test(err.message));
  bad({ githubAppInstallationID: "34", githubAppPrivateKey: pem }, /^Secret 'ns\/app' has no 'githubAppID' key/);
  bad({ githubAppID: "my-app", githubAppInstallationID: "34", githubAppPrivateKey: pem }, /'githubAppID' must be the app's numeric ID, got "my-app"/);
  bad({ githubAppID: "12", githubAppPrivateKey: pem }, /has neither 'githubAppInstallationID' nor 'githubAppInstallationOwner'/);
  bad({ githubAppID: "12", githubAppInstallationID: "34", githubAppInstallationOwner: "acme", githubAppPrivateKey: pem }, /has both/);
  bad({ githubAppID: "12", githubAppInstallationID: "34" }, /has no 'githubAppPrivateKey' key/);
  bad({ githubAppID: "12", githubAppInstallationID: "34", githubAppPrivateKey: "garbage" }, /'githubAppPrivateKey' is not a PEM-encoded RSA private key/);
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }) as string;
  bad({ githubAppID: "12", githubAppInstallationID: "34", githubAppPrivateKey: ec }, /is a ec key; GitHub App keys are RSA/);
  bad({ githubAppID: "12", githubAppInstallationID: "34", githubAppPrivateKey: pem, githubAppBaseURL: "ftp://x" }, /'githubAppBaseURL' must be an http\(s\) URL/);
  assert.equal(hasGitHubAppData(secret({ username: "u", password: "p" })), false);
  assert.equal(hasGitHubAppData(secret({ githubAppPrivateKey: "x" })), true);
});

test("the JWT is RS256, signed with the app's key, issued by the app, valid under 10 minutes", () => {
  const now = Date.UTC(2026, 0, 1);
  const [h, p, s] = gitHubAppJwt("12", rsa.privateKey, now).split(".");
  assert.deepEqual(JSON.parse(Buffer.from(h, "base64url").toString()), { alg: "RS256", typ: "JWT" });
  const claims = JSON.parse(Buffer.from(p, "base64url").toString());
  assert.deepEqual(claims, { iat: now / 1000 - 60, exp: now / 1000 + 540, iss: "12" });
  assert.ok(verify("sha256", Buffer.from(`${h}.${p}`), rsa.publicKey, Buffer.from(s, "base64url")));
});

test("tokens: cached until 5 minutes before expiry, shared by concurrent callers, failures not cached", async () => {
  let clock = Date.UTC(2026, 0, 1);
  let issued = 0;
  let refuse = false;
  const server = createServer((req, res) => {
    req.resume();
    setTimeout(() => {
      if (refuse) return res.writeHead(403, { "content-type": "application/json" }).end(JSON.stringify({ message: "Resource not accessible by integration" }));
      issued++;
      res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ token: `t${issued}`, expires_at: new Date(clock + 3_600_000).toISOString() }));
    }, 10);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const app = gitHubAppFromSecret(secret({ githubAppID: "12", githubAppInstallationID: "34", githubAppPrivateKey: pem, githubAppBaseURL: base }));
  const tokens = new GitHubAppTokens({ now: () => clock });
  try {
    assert.deepEqual(await Promise.all([tokens.token(app), tokens.token(app), tokens.token(app)]), ["t1", "t1", "t1"]);
    assert.equal(issued, 1);
    clock += 54 * 60_000;
    assert.equal(await tokens.token(app), "t1", "6 minutes left: still handed out");
    clock += 2 * 60_000;
    assert.equal(await tokens.token(app), "t2", "4 minutes left: refreshed");
    clock += 60 * 60_000;
    refuse = true;
    await assert.rejects(tokens.token(app), (err: unknown) => err instanceof GitHubAppTokenError && /refused POST '.*\/app\/installations\/34\/access_tokens': HTTP 403: Resource not accessible by integration/.test(err.message));
    refuse = false;
    assert.equal(await tokens.token(app), "t3");
    assert.equal(tokens.fetched, 3);
  } finally {
    server.close();
  }
});
