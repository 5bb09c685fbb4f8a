import assert from "node:assert/strict";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { type ExecConfig, type ExecCredential, ExecCredentials, parseExecOutput, runExecPlugin } from "./exec_credential.ts";

const v1 = "client.authentication.k8s.io/v1";
const config = (command: string, extra: Partial<ExecConfig> = {}): ExecConfig => ({ apiVersion: v1, command, args: [], env: [], provideClusterInfo: false, ...extra });

test("parseExecOutput: a token or a certificate and key, apiVersion as asked, expiry parsed", () => {
  const out = (status: unknown, apiVersion = v1) => JSON.stringify({ apiVersion, kind: "ExecCredential", status });
  assert.deepEqual(parseExecOutput(out({ token: "t", expirationTimestamp: "2030-01-01T00:00:00Z" }), v1), {
    token: "t", cert: undefined, key: undefined, expiresAt: Date.parse("2030-01-01T00:00:00Z"),
  });
  const pair = parseExecOutput(out({ clientCertificateData: "CERT", clientKeyData: "KEY" }), v1);
  assert.deepEqual([pair.cert?.toString(), pair.key?.toString(), pair.expiresAt], ["CERT", "KEY", undefined]);
  assert.throws(() => parseExecOutput("nope", v1), /not JSON/);
  assert.throws(() => parseExecOutput(out({ token: "t" }, "client.authentication.k8s.io/v1beta1"), v1), /apiVersion "client.authentication.k8s.io\/v1beta1", not client.authentication.k8s.io\/v1/);
  assert.throws(() => parseExecOutput(out({}), v1), /neither status.token nor/);
  assert.throws(() => parseExecOutput(out({ clientCertificateData: "CERT" }), v1), /only one of/);
  assert.throws(() => parseExecOutput(out({ token: "t", expirationTimestamp: "soon" }), v1), /not a time/);
});

test("ExecCredentials: cached until expiry or invalidated, one run at a time", async () => {
  let runs = 0;
  let expiresAt: number | undefined = 1_000;
  const creds = new ExecCredentials(config("x"), async () => ({ token: `t${++runs}`, expiresAt }));
  const [a, b] = await Promise.all([creds.get(0), creds.get(0)]);
  assert.equal(a, b);
  assert.equal(runs, 1);
  assert.equal((await creds.get(999)).token, "t1");
  assert.equal((await creds.get(1_000)).token, "t2", "expired: run again");
  expiresAt = undefined;
  const c = await creds.get(5_000);
  assert.equal((await creds.get(1e12)).token, "t3", "no expiry: kept");
  creds.invalidate({} as ExecCredential);
  assert.equal(await creds.get(), c, "another credential's 401 changes nothing");
  creds.invalidate(c);
  assert.equal((await creds.get()).token, "t4");
});

test("runExecPlugin: no shell, args and env passed, KUBERNETES_EXEC_INFO set; failures name the command", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "exec-plugin-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const plugin = join(dir, "plugin");
  await writeFile(plugin, `#!${process.execPath}
const info = JSON.parse(process.env.KUBERNETES_EXEC_INFO);
if (process.argv[2] === "fail") { console.error("first\\nno credentials here"); process.exit(3); }
console.log(JSON.stringify({ apiVersion: info.apiVersion, kind: "ExecCredential", status: { token: [process.argv[2], process.env.EXTRA, info.spec.interactive, info.spec.cluster?.server].join("|") } }));
`);
  await chmod(plugin, 0o755);
  const cluster = { server: "https://h:6443" };
  const ok = await runExecPlugin(config(plugin, { args: ["$(id)"], env: [{ name: "EXTRA", value: "e" }], provideClusterInfo: true, cluster }));
  assert.equal(ok.token, "$(id)|e|false|https://h:6443", "the argument reaches the plugin as is: no shell");
  await assert.rejects(runExecPlugin(config(plugin, { args: ["fail"] })), new RegExp(`exec credential plugin "${plugin}" exited with code 3: no credentials here$`));
  await assert.rejects(runExecPlugin(config(join(dir, "missing"), { installHint: "install it" })), /plugin ".*missing" not found: install it/);
});
