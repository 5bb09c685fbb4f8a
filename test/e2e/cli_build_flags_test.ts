/**
 * build and diff kustomization's flux flags: --ignore-paths, --strict-substitute, -r with
 * --local-sources, --in-memory-build, and diff's --ignore-not-found and --progress-bar.
 */
import { execFile } from "node:child_process";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, test } from "node:test";
import { parseAllDocuments, stringify } from "yaml";
import type { KubeObject } from "../../src/api/meta.ts";
import { freshNamespace } from "../support/cluster.ts";
import { kustomization, sluice, sluiceOnTty, testApi } from "./cli_support.ts";

const ns = await freshNamespace("cli-build-flags");
const api = testApi();
const n = ["-n", ns];
let fleet: string;
let web: string;

const configMap = (name: string, data: Record<string, string>) => stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data });
const ks = (name: string, spec: Record<string, unknown>) => stringify(kustomization(ns, name, spec));

async function tree(files: Record<string, string>, git: boolean): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "sluice-build-flags-"));
  if (git) await promisify(execFile)("git", ["init", "-q", dir]);
  for (const [path, body] of Object.entries(files)) {
    await mkdir(join(dir, path, ".."), { recursive: true });
    await writeFile(join(dir, path), body);
  }
  return dir;
}

function docs(text: string): KubeObject[] {
  return parseAllDocuments(text).map((d) => d.toJS() as KubeObject);
}

const names = (objs: KubeObject[]) => objs.map((o) => `${o.kind}/${o.metadata.name}`);

before(async () => {
  fleet = await tree(
    {
      // The root lists itself (the flux-system layout), a Kustomization from this repository and one from another.
      "clusters/prod/root.yaml": ks("root", { path: "./clusters/prod", sourceRef: { kind: "GitRepository", name: "fleet" } }),
      "clusters/prod/apps.yaml": ks("apps", { path: "./apps", targetNamespace: ns, sourceRef: { kind: "GitRepository", name: "fleet" }, postBuild: { substitute: { COLOR: "blue" } } }),
      "clusters/prod/web.yaml": ks("web", { path: "./deploy", targetNamespace: ns, sourceRef: { kind: "GitRepository", name: "web" } }),
      "apps/settings.yaml": configMap("settings", { color: "${COLOR}", size: "${SIZE}" }),
      "apps/tests/fixture.yaml": configMap("fixture", { a: "b" }),
      "apps/notes.yaml": configMap("notes", { a: "b" }),
      "loop/a/a.yaml": ks("loop-b", { path: "./loop/b", sourceRef: { kind: "GitRepository", name: "fleet" } }),
      "loop/b/b.yaml": ks("loop-a", { path: "./loop/a", sourceRef: { kind: "GitRepository", name: "fleet" } }),
      "root.yaml": [ks("root", { path: "./clusters/prod", sourceRef: { kind: "GitRepository", name: "fleet" } }), ks("loop-a", { path: "./loop/a", sourceRef: { kind: "GitRepository", name: "fleet" } })].join("---\n"),
    },
    true,
  );
  web = await tree({ "deploy/site.yaml": configMap("site", { title: "web" }) }, false);
  await api.apply(kustomization(ns, "apps", { path: "./apps", targetNamespace: ns, postBuild: { substitute: { COLOR: "blue" } } }), { fieldManager: "test" });
});

after(async () => {
  await rm(fleet, { recursive: true, force: true });
  await rm(web, { recursive: true, force: true });
  await api.client.close();
});

test("--ignore-paths leaves files out as spec.ignore does; --in-memory-build is accepted", async () => {
  const all = await sluice(["build", "ks", "apps", "--path", join(fleet, "apps"), ...n]);
  assert.equal(all.code, 0, all.stderr);
  assert.deepEqual(names(docs(all.stdout)).sort(), ["ConfigMap/fixture", "ConfigMap/notes", "ConfigMap/settings"]);
  const some = await sluice(["build", "ks", "apps", "--path", join(fleet, "apps"), "--ignore-paths", "tests/", "--ignore-paths", "notes.yaml,!nothing", "--in-memory-build", ...n]);
  assert.equal(some.code, 0, some.stderr);
  assert.deepEqual(names(docs(some.stdout)), ["ConfigMap/settings"]);
});

test("--strict-substitute fails on an unset variable with the controller's message; without it it is empty", async () => {
  const lax = await sluice(["build", "ks", "apps", "--path", join(fleet, "apps"), ...n]);
  // The text is substituted before it is parsed, so an unquoted empty value is YAML's null, as in the controller.
  assert.deepEqual(docs(lax.stdout).find((o) => o.metadata.name === "settings")!.data, { color: "blue", size: null });
  const strict = await sluice(["build", "ks", "apps", "--path", join(fleet, "apps"), "--strict-substitute", ...n]);
  assert.equal(strict.code, 1);
  assert.match(strict.stderr, /^✗ BuildFailed: post build failed for 'v1\/ConfigMap\/settings': variable not set \(strict mode\): "SIZE"\n$/);
});

test("-r builds the Kustomizations in the output at their spec.path, other sources from --local-sources", async () => {
  const file = join(fleet, "root.yaml");
  const base = ["build", "ks", "root", "--path", join(fleet, "clusters/prod"), "--kustomization-file", file, "--dry-run", ...n];
  const flat = await sluice(base);
  assert.equal(flat.code, 0, flat.stderr);
  assert.deepEqual(names(docs(flat.stdout)).sort(), ["Kustomization/apps", "Kustomization/root", "Kustomization/web"]);

  const deep = await sluice([...base, "-r", "--local-sources", `GitRepository/${ns}/web=${web}`]);
  assert.equal(deep.code, 0, deep.stderr);
  const objs = docs(deep.stdout);
  assert.deepEqual(names(objs), ["Kustomization/apps", "Kustomization/root", "Kustomization/web", "ConfigMap/fixture", "ConfigMap/notes", "ConfigMap/settings", "ConfigMap/site"]);
  const site = objs.find((o) => o.metadata.name === "site")!;
  assert.equal(site.metadata.namespace, ns);
  assert.equal(site.metadata.labels?.["kustomize.toolkit.fluxcd.io/name"], "web");

  // The root's own source may be named too; then that directory is the tree spec.path is resolved in.
  const named = await sluice([...base, "--recursive", "--local-sources", `GitRepository/${ns}/fleet=${fleet},GitRepository/${ns}/web=${web}`, "--ignore-paths", "tests/"]);
  assert.equal(named.code, 0, named.stderr);
  assert.ok(!names(docs(named.stdout)).includes("ConfigMap/fixture"));
});

test("-r: a missing local source and a cycle are one-line errors", async () => {
  const file = join(fleet, "root.yaml");
  const missing = await sluice(["build", "ks", "root", "--path", join(fleet, "clusters/prod"), "--kustomization-file", file, "--dry-run", "-r", ...n]);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, `✗ Kustomization ${ns}/web builds from GitRepository/${ns}/web, which has no local copy: give --local-sources GitRepository/${ns}/web=<dir>\n`);
  const loop = await sluice(["build", "ks", "loop-a", "--path", join(fleet, "loop/a"), "--kustomization-file", file, "--dry-run", "-r", ...n]);
  assert.equal(loop.code, 1);
  assert.equal(loop.stderr, `✗ Kustomization cycle: ${ns}/loop-a → ${ns}/loop-b → ${ns}/loop-a\n`);
  const bad = await sluice(["build", "ks", "root", "--path", fleet, "--local-sources", "GitRepository/web=./x", "--dry-run", ...n]);
  assert.notEqual(bad.code, 0);
  assert.equal(bad.stderr.trim().split("\n").length, 1, bad.stderr);
  assert.match(bad.stderr, /is not Kind\/namespace\/name=dir/);
});

test("diff: --ignore-not-found, -r diffs the nested Kustomizations too, --progress-bar is accepted", async () => {
  const missing = await sluice(["diff", "ks", "fresh", "--path", join(fleet, "apps"), ...n]);
  assert.equal(missing.code, 2);
  const fresh = await sluice(["diff", "ks", "fresh", "--path", join(web, "deploy"), "--ignore-not-found", "--progress-bar=false", ...n]);
  assert.equal(fresh.code, 1, fresh.stderr);
  // An empty spec has no targetNamespace: the object goes to the Kustomization's namespace by default.
  assert.match(fresh.stdout, /► ConfigMap\/.*site created\n/);
  // On a terminal the spinner is drawn on stderr and cleared before the changes are printed.
  const tty = await sluiceOnTty(["diff", "ks", "fresh", "--path", join(web, "deploy"), "--ignore-not-found", ...n]);
  assert.match(tty.stdout, /building Kustomization/);
  assert.match(tty.stdout, /\r\x1b\[2K► ConfigMap\/.*site created/);

  const file = join(fleet, "root.yaml");
  const deep = await sluice(["diff", "ks", "root", "--path", join(fleet, "clusters/prod"), "--kustomization-file", file, "-r", "--local-sources", `GitRepository/${ns}/web=${web}`, "--progress-bar", ...n]);
  assert.equal(deep.code, 1, deep.stderr);
  for (const s of [`Kustomization/${ns}/root`, `Kustomization/${ns}/web`, `ConfigMap/${ns}/settings`, `ConfigMap/${ns}/site`]) {
    assert.ok(deep.stdout.includes(`► ${s} created\n`) || deep.stdout.includes(`► ${s} configured\n`), `${s} in\n${deep.stdout}`);
  }
  assert.ok(deep.stdout.includes(`► Kustomization/${ns}/apps configured\n`), deep.stdout);
});
