/**
 * The main job, as a user runs it: `sluice demo` brings the sample app up; a commit in the sample
 * work tree is applied within seconds; deleting a file prunes its object.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { test } from "node:test";
import { waitUntil } from "../../src/dev/wait_until.ts";
import { kube } from "../support/cluster.ts";
import { testKubeconfigPath } from "../support/test_manager.ts";

const exec = promisify(execFile);
const root = join(import.meta.dirname, "..", "..");

async function commitAll(work: string, message: string): Promise<void> {
  const env = { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" };
  await exec("git", ["add", "-A"], { cwd: work, env });
  await exec("git", ["commit", "-q", "-m", message], { cwd: work, env });
}

async function configMapMessage(): Promise<string | undefined> {
  const res = await kube({ path: "/api/v1/namespaces/demo/configmaps/greeting" });
  return res.status === 200 ? res.json<{ data: { message: string } }>().data.message : undefined;
}

// The demo's own wait (--timeout) ends first, then the test's, then the runner's: whichever way it
// fails, the demo's output says which step it was on.
test("sluice demo: sample Ready, a commit is applied within seconds, a removed file is pruned", { timeout: 240_000 }, async (t) => {
  const stateDir = dirname(testKubeconfigPath());
  if (!existsSync(join(stateDir, "state.json"))) {
    t.skip("the test cluster is not a sluice dev cluster; the demo starts its own");
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), "sluice-demo-"));
  const demo = spawn(join(root, "bin", "sluice"), ["demo", "--dir", dir, "--timeout", "150s"], {
    env: { ...process.env, SLUICE_DEV_DIR: stateDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  demo.stdout.on("data", (d: Buffer) => (output += d.toString()));
  demo.stderr.on("data", (d: Buffer) => (output += d.toString()));
  t.after(async () => {
    // Delete while the demo's controllers run, so their finalizers clean up (prune, artifacts).
    const paths = [
      "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/sample",
      "/apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/gitrepositories/sample",
    ];
    for (const path of paths) await kube({ method: "DELETE", path });
    await waitUntil(async () => (await Promise.all(paths.map((path) => kube({ path })))).every((r) => r.status === 404), {
      timeoutMs: 60_000,
      what: "the demo objects to be finalized",
    }).catch(() => undefined);
    if (demo.exitCode === null && demo.signalCode === null) {
      const exited = new Promise((r) => demo.once("exit", r));
      demo.kill("SIGINT");
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  });

  await waitUntil(async () => output.includes("watching "), {
    timeoutMs: 180_000,
    what: "the demo to be Ready",
    check: () => {
      if (demo.exitCode !== null) throw new Error(`the demo exited with code ${demo.exitCode}`);
    },
  }).catch((err: Error) => {
    throw new Error(`${err.message}; the demo printed:\n${output}`);
  });
  assert.match(output, /Kustomization flux-system\/sample is Ready at main@sha1:[0-9a-f]{40}/);
  const deploy = await kube({ path: "/apis/apps/v1/namespaces/demo/deployments/podinfo" });
  assert.equal(deploy.status, 200);
  assert.equal(deploy.json<{ status: { availableReplicas?: number } }>().status.availableReplicas, 2, "wait: true means rolled out");
  assert.equal(await configMapMessage(), "hello from git");

  const work = join(dir, "sample");
  const started = Date.now();
  await writeFile(join(work, "deploy", "configmap.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: greeting\n  namespace: demo\ndata:\n  message: changed in git\n");
  await commitAll(work, "change the greeting");
  await waitUntil(async () => (await configMapMessage()) === "changed in git", { timeoutMs: 30_000, what: "the commit to be applied" });
  const appliedIn = (Date.now() - started) / 1000;
  assert.ok(appliedIn < 15, `applied in ${appliedIn}s`);

  await unlink(join(work, "deploy", "configmap.yaml"));
  await commitAll(work, "remove the greeting");
  await waitUntil(async () => (await configMapMessage()) === undefined, { timeoutMs: 30_000, what: "the ConfigMap to be pruned" });
  assert.equal((await kube({ path: "/apis/apps/v1/namespaces/demo/deployments/podinfo" })).status, 200, "the rest stays");
});
