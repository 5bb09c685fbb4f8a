import assert from "node:assert/strict";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { parse, stringify } from "yaml";
import { testKubeconfigPath } from "../support/test_manager.ts";
import { cliEnv, gitRepository, sluice, testApi } from "./cli_support.ts";
import { freshNamespace } from "../support/cluster.ts";

const api = testApi();
// At top level: freshNamespace registers its cleanup with after(), which inside before() would run at once.
const ns = await freshNamespace("cli");
const other = await freshNamespace("cli");
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "sluice-cli-"));
  await api.apply(gitRepository(ns, "one"), { fieldManager: "test" });
  await api.apply(gitRepository(other, "two"), { fieldManager: "test" });
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
  await api.client.close();
});

/** An environment where only what the test sets names a cluster. */
function bareEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return cliEnv({ KUBECONFIG: undefined, HOME: dir, SLUICE_DEV_DIR: join(dir, "no-dev"), KUBERNETES_SERVICE_HOST: undefined, ...extra });
}

const noStack = (text: string) => assert.doesNotMatch(text, /\n\s+at /, `stack trace in:\n${text}`);

test("KUBECONFIG names the cluster", async () => {
  const r = await sluice(["get", "sources", "git", "-n", ns]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^NAME\s+REVISION\s+SUSPENDED\s+READY\s+MESSAGE\n/);
  assert.match(r.stdout, /\none\s+(\S+\s+)?False\s+(True|False)\s/);
});

test("--kubeconfig works without KUBECONFIG", async () => {
  const r = await sluice(["get", "source", "git", "one", "--kubeconfig", testKubeconfigPath(), "--namespace", ns], { env: bareEnv() });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\none\s/);
});

test("the dev cluster's kubeconfig is used when nothing else names a cluster", async () => {
  const devDir = join(dir, "dev");
  await mkdir(devDir, { recursive: true });
  await copyFile(testKubeconfigPath(), join(devDir, "kubeconfig"));
  const r = await sluice(["get", "source", "git", "-n", ns], { env: bareEnv({ SLUICE_DEV_DIR: devDir }) });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\none\s/);
});

test("with no cluster configured the error says how to get one", async () => {
  const r = await sluice(["get", "ks"], { env: bareEnv() });
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim().split("\n").length, 1);
  assert.match(r.stderr, /no cluster configured: pass --kubeconfig, set KUBECONFIG, or run `sluice dev up`/);
});

test("--context picks a context; an unreachable cluster is one clear line", async () => {
  const raw = parse(await readFile(testKubeconfigPath(), "utf8")) as {
    contexts: Array<{ name: string; context: { cluster: string; user: string } }>;
    clusters: Array<{ name: string; cluster: Record<string, unknown> }>;
  };
  const first = raw.contexts[0];
  raw.clusters.push({ name: "nowhere", cluster: { server: "https://127.0.0.1:1", "insecure-skip-tls-verify": true } });
  raw.contexts.push({ name: "nowhere", context: { cluster: "nowhere", user: first.context.user } });
  const path = join(dir, "two-contexts");
  await writeFile(path, stringify(raw));

  const good = await sluice(["get", "source", "git", "--context", first.name, "-n", ns, "--kubeconfig", path]);
  assert.equal(good.code, 0, good.stderr);

  const bad = await sluice(["get", "source", "git", "--context", "nowhere", "--kubeconfig", path]);
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr.trim().split("\n").length, 1);
  assert.match(bad.stderr, /cannot reach the cluster at https:\/\/127\.0\.0\.1:1 \(connection refused\)/);
  noStack(bad.stderr);

  const missing = await sluice(["get", "source", "git", "--context", "nope", "--kubeconfig", path]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /has no context "nope"/);
});

test("-A lists every namespace with a NAMESPACE column", async () => {
  const r = await sluice(["get", "sources", "git", "-A"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^NAMESPACE\s+NAME\s+REVISION/);
  assert.match(r.stdout, new RegExp(`\\n${ns}\\s+one\\s`));
  assert.match(r.stdout, new RegExp(`\\n${other}\\s+two\\s`));
});

test("a malformed namespace is rejected before any request", async () => {
  const r = await sluice(["get", "ks", "-n", "Not_A_Namespace"]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /is not a valid namespace name/);
});
