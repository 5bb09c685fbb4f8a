/**
 * --insecure-kubeconfig-exec and --insecure-kubeconfig-tls on the real control plane. The "remote"
 * cluster is the test API server reached with a ServiceAccount token that an exec credential plugin
 * (a small script, run without a shell) prints as an ExecCredential, or given inline with
 * insecure-skip-tls-verify and no CA. Without the flags both are refused with a condition naming
 * the flag and the plugin never runs; with them both apply.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { freshNamespace } from "../support/cluster.ts";
import { kubeconfigFor, serviceAccount, serviceAccountToken } from "../support/service_accounts.ts";
import { artifactServerForSuite, configMap, core, createGitRepository, ksRef, kustomization, readyOf, startKustomize, waitReady } from "./kustomize_support.ts";

const configMaps = core("configmaps", "ConfigMap");

/** An exec plugin printing $PLUGIN_TOKEN as a v1 ExecCredential valid for an hour; every run appends a line to `runs`. */
async function plugin(dir: string): Promise<{ path: string; runs: string }> {
  const path = join(dir, "token-plugin");
  const runs = join(dir, "runs");
  await writeFile(path, `#!${process.execPath}
const { appendFileSync } = require("node:fs");
const info = JSON.parse(process.env.KUBERNETES_EXEC_INFO);
appendFileSync(${JSON.stringify(runs)}, JSON.stringify({ interactive: info.spec.interactive, args: process.argv.slice(2) }) + "\\n");
const expirationTimestamp = new Date(Date.now() + 3600_000).toISOString();
process.stdout.write(JSON.stringify({ apiVersion: info.apiVersion, kind: "ExecCredential", status: { token: process.env.PLUGIN_TOKEN, expirationTimestamp } }));
`);
  await chmod(path, 0o755);
  return { path, runs };
}

async function setup(prefix: string, t: Parameters<typeof freshNamespace>[1], flags: { insecureKubeconfigExec: boolean; insecureKubeconfigTls: boolean }) {
  const ns = await freshNamespace(prefix, t);
  const { manager } = await startKustomize(ns, t!, flags);
  const api = manager.api;
  const dir = await mkdtemp(join(tmpdir(), "sluice-exec-"));
  t!.after(() => rm(dir, { recursive: true, force: true }));
  await serviceAccount(api, ns, "remote");
  const token = await serviceAccountToken(api, ns, "remote");
  const { path, runs } = await plugin(dir);
  const exec = { apiVersion: "client.authentication.k8s.io/v1", command: path, args: ["--cluster", "a b;c"], env: [{ name: "PLUGIN_TOKEN", value: token }], interactiveMode: "Never" };
  const secrets = {
    exec: kubeconfigFor({ exec }),
    insecure: kubeconfigFor({ token }, { "insecure-skip-tls-verify": true, "certificate-authority-data": undefined }),
  };
  for (const [name, value] of Object.entries(secrets)) {
    await api.apply({ apiVersion: "v1", kind: "Secret", metadata: { name, namespace: ns }, stringData: { value } } as never, { fieldManager: "e2e", force: true });
  }
  const art = await server.publish({ "exec/cm.yaml": configMap("via-exec"), "insecure/cm.yaml": configMap("via-insecure") });
  await createGitRepository(api, ns, "repo", art);
  for (const name of ["exec", "insecure"]) {
    await api.create(ksRef, kustomization(ns, name, { path: `./${name}`, targetNamespace: ns, kubeConfig: { secretRef: { name } }, interval: "2s" } as never));
  }
  return { ns, api, runs, art };
}

const server = artifactServerForSuite();

describe("kustomize: --insecure-kubeconfig-exec and --insecure-kubeconfig-tls", { concurrency: true }, () => {
  it("without the flags: exec plugins and insecure-skip-tls-verify are refused naming the flag; no plugin runs", async (t) => {
    const { ns, api, runs } = await setup("ks-insecure-off", t, { insecureKubeconfigExec: false, insecureKubeconfigTls: false });
    const exec = await waitReady(api, ns, "exec", { status: "False", reason: "ReconciliationFailed" });
    assert.match(readyOf(exec)!.message, new RegExp(`^KubeConfig secret '${ns}/exec' key 'value': invalid kubeconfig: user "test" runs an exec credential plugin \\(.*token-plugin\\), which is refused without --insecure-kubeconfig-exec`));
    const insecure = await waitReady(api, ns, "insecure", { status: "False", reason: "ReconciliationFailed" });
    assert.match(readyOf(insecure)!.message, new RegExp(`^KubeConfig secret '${ns}/insecure' key 'value': invalid kubeconfig: cluster "test" sets insecure-skip-tls-verify, which is refused without --insecure-kubeconfig-tls`));
    assert.equal(existsSync(runs), false, "the plugin never ran");
    assert.equal(await api.find(configMaps, ns, "via-exec"), undefined);
    assert.equal(await api.find(configMaps, ns, "via-insecure"), undefined);
  });

  it("with the flags: the plugin's token is used (run once, cached until it expires) and TLS verification is skipped", async (t) => {
    const { ns, api, runs, art } = await setup("ks-insecure-on", t, { insecureKubeconfigExec: true, insecureKubeconfigTls: true });
    await waitReady(api, ns, "exec", { revision: art.revision });
    await waitReady(api, ns, "insecure", { revision: art.revision });
    assert.ok(await api.get(configMaps, ns, "via-exec"));
    assert.ok(await api.get(configMaps, ns, "via-insecure"));
    // Several reconciles (interval 2s) later, still one run: the credential is cached until its expiry.
    await new Promise((r) => setTimeout(r, 5_000));
    const lines = (await readFile(runs, "utf8")).trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(lines.length, 1, "one plugin run");
    assert.deepEqual(lines[0], { interactive: false, args: ["--cluster", "a b;c"] }, "args reach the plugin as given: no shell; non-interactive");
  });
});
