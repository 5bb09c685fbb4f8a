import assert from "node:assert/strict";
import { test } from "node:test";
import { authSecrets, GitAuthError, gitAuthFromSecret } from "./git_auth.ts";

const https = new URL("https://git.example.com/org/repo.git");
const ssh = new URL("ssh://git@git.example.com/org/repo.git");
const secret = (data: Record<string, string>) => ({ ref: "ns/s", data });

test("HTTPS Secrets: basic, bearer, TLS, and the malformed ones named", () => {
  assert.deepEqual(gitAuthFromSecret(https, secret({ username: "u", password: "p" })), { username: "u", password: "p", bearerToken: undefined, caCert: undefined, tlsCert: undefined, tlsKey: undefined });
  assert.equal(gitAuthFromSecret(https, secret({ bearerToken: "t" })).bearerToken, "t");
  assert.throws(() => gitAuthFromSecret(https, secret({ username: "u" })), /has a 'username' but no 'password' key/);
  assert.throws(() => gitAuthFromSecret(https, secret({ bearerToken: "t", username: "u", password: "p" })), /both 'bearerToken' and 'username'/);
  assert.throws(() => gitAuthFromSecret(https, secret({ "tls.crt": "c" })), /both 'tls.crt' and 'tls.key'/);
  assert.throws(() => gitAuthFromSecret(https, secret({ githubAppID: "1" })), /github app data but provider is not set to github/);
  assert.throws(() => gitAuthFromSecret(https, secret({})), GitAuthError);
});

test("credentials in the URL are used when the Secret has none; all secrets are listed for redaction", () => {
  const auth = gitAuthFromSecret(new URL("https://bob:s%40cret@host/r.git"));
  assert.equal(auth.username, "bob");
  assert.equal(auth.password, "s@cret");
  assert.deepEqual(authSecrets({ ...auth, bearerToken: "tok", proxy: { address: "http://p", password: "pp" } }), ["s@cret", "tok", "pp"]);
});

test("SSH Secrets need identity and known_hosts; an encrypted key needs its passphrase", () => {
  const plain = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + Buffer.concat([Buffer.from("openssh-key-v1\0"), Buffer.from([0, 0, 0, 4]), Buffer.from("none")]).toString("base64") + "\n-----END OPENSSH PRIVATE KEY-----\n";
  const encrypted = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + Buffer.concat([Buffer.from("openssh-key-v1\0"), Buffer.from([0, 0, 0, 10]), Buffer.from("aes256-ctr")]).toString("base64") + "\n-----END OPENSSH PRIVATE KEY-----\n";
  assert.equal(gitAuthFromSecret(ssh, secret({ identity: plain, known_hosts: "h k" })).identity, plain);
  assert.throws(() => gitAuthFromSecret(ssh, secret({ identity: plain })), /no 'known_hosts' key/);
  assert.throws(() => gitAuthFromSecret(ssh, secret({ known_hosts: "h k" })), /no 'identity' key/);
  assert.throws(() => gitAuthFromSecret(ssh, secret({ identity: encrypted, known_hosts: "h k" })), /encrypted but no 'password'/);
  assert.equal(gitAuthFromSecret(ssh, secret({ identity: encrypted, known_hosts: "h k", password: "pw" })).passphrase, "pw");
});
