/**
 * build and diff kustomization: a local directory built with a Kustomization's spec by the kustomize
 * controller's own build code, then compared with the cluster by server-side dry run.
 */
import { execFile } from "node:child_process";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, test } from "node:test";
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "../../src/api/meta.ts";
import { freshNamespace } from "../support/cluster.ts";
import { kustomization, kustomizationRef, sluice, testApi } from "./cli_support.ts";
import { core } from "./kustomize_support.ts";

const ns = await freshNamespace("cli-build");
const api = testApi();
const n = ["-n", ns];
let repo: string;

function files(greeting: string, token: string): Record<string, string> {
  return {
    "apps/settings.yaml": `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  greeting: \${GREETING:=hello}\n  color: "${greeting}"\n`,
    "apps/creds.yaml": `apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\nstringData:\n  token: ${token}\n`,
  };
}

async function write(f: Record<string, string>): Promise<void> {
  for (const [path, body] of Object.entries(f)) {
    await mkdir(join(repo, path, ".."), { recursive: true });
    await writeFile(join(repo, path), body);
  }
}

before(async () => {
  repo = await mkdtemp(join(tmpdir(), "sluice-build-repo-"));
  await promisify(execFile)("git", ["init", "-q", repo]);
  await write(files("blue", "s3cret"));
  await api.create(core("configmaps", "ConfigMap"), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "vars", namespace: ns }, data: { GREETING: "from-cluster" } });
  await api.apply(
    kustomization(ns, "apps", {
      path: "./apps",
      targetNamespace: ns,
      commonMetadata: { labels: { team: "a" } },
      postBuild: { substituteFrom: [{ kind: "ConfigMap", name: "vars" }] },
    }),
    { fieldManager: "test" },
  );
});

after(async () => {
  await rm(repo, { recursive: true, force: true });
  await api.client.close();
});

test("build prints what the controller would apply: overlay, substitutions, owner labels", async () => {
  const r = await sluice(["build", "ks", "apps", "--path", join(repo, "apps"), ...n]);
  assert.equal(r.code, 0, r.stderr);
  const [cm, secret] = parseAllDocuments(r.stdout).map((d) => d.toJS() as KubeObject);
  assert.equal(cm.metadata.namespace, ns);
  assert.deepEqual(cm.data, { greeting: "from-cluster", color: "blue" });
  assert.deepEqual(cm.metadata.labels, { team: "a", "kustomize.toolkit.fluxcd.io/name": "apps", "kustomize.toolkit.fluxcd.io/namespace": ns });
  assert.equal(secret.kind, "Secret");

  // --dry-run: no cluster, so no substituteFrom; with no variables left nothing is substituted (as in the controller).
  const dry = await sluice(["build", "ks", "apps", "--path", join(repo, "apps"), "--dry-run", ...n], { env: { ...process.env, KUBECONFIG: "/nonexistent" } });
  assert.equal(dry.code, 0, dry.stderr);
  assert.equal(parseAllDocuments(dry.stdout)[0].toJS().data.greeting, "${GREETING:=hello}");
});

test("diff: exit 1 with what would be created, 0 once applied, then the changed fields with Secrets masked", async () => {
  const args = ["diff", "ks", "apps", "--path", join(repo, "apps"), ...n];
  const first = await sluice(args);
  assert.equal(first.code, 1, first.stderr);
  assert.match(first.stdout, new RegExp(`► ConfigMap/${ns}/settings created\\n`));
  assert.match(first.stdout, new RegExp(`► Secret/${ns}/creds created\\n`));

  // Apply what build prints, as the controller would.
  const built = await sluice(["build", "ks", "apps", "--path", join(repo, "apps"), ...n]);
  for (const d of parseAllDocuments(built.stdout)) await api.apply(d.toJS() as KubeObject, { fieldManager: "kustomize-controller", force: true });
  const same = await sluice(args);
  assert.equal(same.code, 0, same.stdout + same.stderr);
  assert.equal(same.stdout, "");
  assert.match(same.stderr, /✔ no changes/);

  await write(files("red", "n3w-s3cret"));
  const changed = await sluice(args);
  assert.equal(changed.code, 1);
  assert.ok(changed.stdout.includes(`► ConfigMap/${ns}/settings configured\n    data.color\n      - "blue"\n      + "red"\n`), changed.stdout);
  assert.ok(changed.stdout.includes(`► Secret/${ns}/creds configured\n    data.token\n      *** (value changed)\n`), changed.stdout);
  assert.doesNotMatch(changed.stdout, /s3cret|czNjcmV0/);

  // An object in the inventory that the build no longer has would be pruned.
  await api.create(core("configmaps", "ConfigMap"), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "old", namespace: ns } });
  await api.mergePatch(kustomizationRef, ns, "apps", { status: { inventory: { entries: [{ id: `${ns}_old__ConfigMap`, v: "v1" }, { id: `${ns}_settings__ConfigMap`, v: "v1" }] } } }, "status");
  const pruned = await sluice(args);
  assert.match(pruned.stdout, new RegExp(`► ConfigMap/${ns}/old deleted\\n`));
});

test("diff and build: bad input exits 2 (diff) or 1 (build) with one line", async () => {
  const missing = await sluice(["diff", "ks", "nope", "--path", join(repo, "apps"), ...n]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^✗ Kustomization "nope" not found in namespace/);
  const path = await sluice(["diff", "ks", "apps", "--path", join(repo, "nope"), ...n]);
  assert.equal(path.code, 2);
  assert.match(path.stderr, /is not a directory/);
  await write({ "broken/kustomization.yaml": "resources:\n  - missing.yaml\n" });
  const broken = await sluice(["build", "ks", "apps", "--path", join(repo, "broken"), ...n]);
  assert.equal(broken.code, 1);
  assert.match(broken.stderr, /^✗ BuildFailed: kustomize build failed: .*missing\.yaml/);
  for (const r of [missing, path, broken]) assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
});
