import assert from "node:assert/strict";
import { test } from "node:test";
import { stringify } from "yaml";
import { KubeconfigError } from "./kubeconfig.ts";
import { parseKubeconfig } from "./parse_kubeconfig.ts";

const b64 = (s: string) => Buffer.from(s).toString("base64");
const caPem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const keyPem = "-----BEGIN EC PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY-----\n";

function kubeconfig(user: Record<string, unknown>, cluster: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    "current-context": "remote",
    contexts: [{ name: "remote", context: { cluster: "c", user: "u", namespace: "apps" } }],
    clusters: [{ name: "c", cluster: { server: "https://10.0.0.1:6443/", "certificate-authority-data": b64(caPem), ...cluster } }],
    users: [{ name: "u", user }],
    ...extra,
  });
}

function refused(text: string, message: RegExp): void {
  assert.throws(() => parseKubeconfig(text), (err: unknown) => err instanceof KubeconfigError && message.test(err.message));
}

test("parseKubeconfig: inline CA with a token, client certificate, or username and password", () => {
  const token = parseKubeconfig(kubeconfig({ token: "abc" }));
  assert.equal(token.server, "https://10.0.0.1:6443");
  assert.equal(token.token, "abc");
  assert.equal(token.ca?.toString(), caPem);
  assert.equal(token.namespace, "apps");
  const cert = parseKubeconfig(kubeconfig({ "client-certificate-data": b64(caPem), "client-key-data": b64(keyPem) }));
  assert.equal(cert.cert?.toString(), caPem);
  assert.equal(cert.key?.toString(), keyPem);
  const basic = parseKubeconfig(kubeconfig({ username: "admin", password: "secret" }));
  assert.deepEqual([basic.username, basic.password, basic.token], ["admin", "secret", undefined]);
});

test("parseKubeconfig: without current-context, the only context is used", () => {
  const text = stringify({ contexts: [{ name: "only", context: { cluster: "c", user: "u" } }], clusters: [{ name: "c", cluster: { server: "https://h" } }], users: [{ name: "u", user: { token: "t" } }] });
  assert.equal(parseKubeconfig(text).context, "only");
});

test("parseKubeconfig: commands and files are refused, saying what is supported", () => {
  refused(kubeconfig({ exec: { apiVersion: "client.authentication.k8s.io/v1", command: "aws" } }), /runs an exec credential plugin \(aws\), which is refused without --insecure-kubeconfig-exec: supported credentials are inline/);
  refused(kubeconfig({ "auth-provider": { name: "gcp" } }), /auth-provider "gcp", which Sluice does not support/);
  refused(kubeconfig({ "client-certificate": "/etc/cert.pem", "client-key": "/etc/key.pem" }), /refers to a file \(client-certificate: \/etc\/cert.pem\)/);
  refused(kubeconfig({ tokenFile: "/var/run/token" }), /refers to a file \(tokenFile/);
  refused(kubeconfig({ token: "t" }, { "certificate-authority": "/ca.crt", "certificate-authority-data": undefined }), /cluster "c" refers to a file \(certificate-authority/);
  refused(kubeconfig({ token: "t" }, { server: "http://10.0.0.1:8080" }), /plain HTTP, which is refused without --insecure-kubeconfig-tls/);
  refused(kubeconfig({ token: "t" }, { "insecure-skip-tls-verify": true }), /insecure-skip-tls-verify, which is refused without --insecure-kubeconfig-tls/);
  refused(kubeconfig({ token: "t", as: "admin" }), /impersonation in the kubeconfig is not supported/);
});

test("parseKubeconfig: exec plugins with allowExec, insecure TLS and plain HTTP with allowInsecureTls", () => {
  const exec = { apiVersion: "client.authentication.k8s.io/v1", command: "/usr/bin/aws", args: ["eks", "get-token"], env: [{ name: "A", value: "1" }], interactiveMode: "Never", provideClusterInfo: true };
  const conn = parseKubeconfig(kubeconfig({ exec }), { allowExec: true });
  assert.equal(conn.token, undefined);
  assert.deepEqual([conn.exec?.command, conn.exec?.args, conn.exec?.env, conn.exec?.provideClusterInfo], ["/usr/bin/aws", ["eks", "get-token"], [{ name: "A", value: "1" }], true]);
  assert.equal(conn.exec?.cluster?.server, "https://10.0.0.1:6443");
  const allow = (text: string, message: RegExp) =>
    assert.throws(() => parseKubeconfig(text, { allowExec: true }), (err: unknown) => err instanceof KubeconfigError && message.test(err.message));
  allow(kubeconfig({ exec: { ...exec, interactiveMode: undefined } }), /exec needs interactiveMode/);
  allow(kubeconfig({ exec: { ...exec, interactiveMode: "Always" } }), /interactiveMode "Always" cannot be honoured/);
  allow(kubeconfig({ exec: { ...exec, apiVersion: "client.authentication.k8s.io/v1alpha1" } }), /apiVersion "client.authentication.k8s.io\/v1alpha1" is not supported/);
  allow(kubeconfig({ exec: { ...exec, command: "bin/aws" } }), /is a relative path/);
  allow(kubeconfig({ exec, token: "t" }), /both an exec credential plugin and inline credentials/);
  assert.equal(parseKubeconfig(kubeconfig({ exec: { ...exec, apiVersion: "client.authentication.k8s.io/v1beta1", interactiveMode: undefined } }), { allowExec: true }).exec?.apiVersion, "client.authentication.k8s.io/v1beta1");
  assert.equal(parseKubeconfig(kubeconfig({ token: "t" }, { "insecure-skip-tls-verify": true }), { allowInsecureTls: true }).insecureSkipTlsVerify, true);
  assert.equal(parseKubeconfig(kubeconfig({ token: "t" }, { server: "http://10.0.0.1:8080" }), { allowInsecureTls: true }).server, "http://10.0.0.1:8080");
});

test("parseKubeconfig: malformed input names what is wrong", () => {
  refused("this: [is not", /^not valid YAML/);
  refused("just a string", /not a kubeconfig/);
  refused(kubeconfig({ token: "t" }, {}, { "current-context": "other" }), /current-context "other" is not one of its contexts/);
  refused(kubeconfig({ token: "t" }, { server: undefined }), /cluster "c" has no server/);
  refused(kubeconfig({ token: "t" }, { "certificate-authority-data": b64("not a pem") }), /certificate-authority-data is not base64 of a PEM CERTIFICATE/);
  refused(kubeconfig({ "client-certificate-data": b64(caPem) }), /needs both client-certificate-data and client-key-data/);
  refused(stringify({ "current-context": "x", contexts: [{ name: "x", context: { cluster: "gone", user: "u" } }], clusters: [] }), /names cluster "gone", which it does not define/);
});
