/**
 * The CLI with the real source and kustomize controllers: create a GitRepository and a Kustomization
 * that applies a nested one, follow a commit with `reconcile --with-source`, then look at the result
 * with get, tree, events and export, and delete (the controller prunes).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { parseAllDocuments } from "yaml";
import { freshNamespace } from "../support/cluster.ts";
import { GitFixtures, type GitHttpServer, startGitHttpServer, type TestRepo } from "../support/git_server.ts";
import { startTestManager, type TestManager } from "../support/test_manager.ts";
import { gitRepositoryRef, kustomizationRef, sluice } from "./cli_support.ts";
import { configMap, core, kustomizeBinary } from "./kustomize_support.ts";

const ns = await freshNamespace("cli-journey");
let fixtures: GitFixtures;
let server: GitHttpServer;
let repo: TestRepo;
let tm: TestManager;

/** A Kustomization in the repo, applied by the root one, applying ./child. */
function childKustomization(): string {
  return `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: child
spec:
  interval: 10m
  path: ./child
  prune: true
  targetNamespace: ${ns}
  sourceRef:
    kind: GitRepository
    name: fleet
`;
}

before(async () => {
  fixtures = await GitFixtures.create();
  server = await startGitHttpServer(fixtures.root);
  repo = await fixtures.repo("fleet");
  tm = await startTestManager(ns, ["source", "kustomize"], { flags: { kustomizeBinary: kustomizeBinary() } });
});

after(async () => {
  // Kustomizations are finalized by the controller, so delete them while it still runs.
  for (const name of ["child", "root"]) await tm.manager.api.delete(kustomizationRef, ns, name).catch(() => undefined);
  for (let i = 0; i < 100 && (await tm.manager.api.list(kustomizationRef, ns)).items.length; i++) await new Promise((r) => setTimeout(r, 200));
  await tm.stop();
  await server.stop();
  await fixtures.cleanup();
});

const n = ["-n", ns];

test("create, reconcile, get, tree, events, export and delete against the real controllers", async () => {
  const sha1 = await repo.commit(
    { "root/settings.yaml": configMap("settings"), "root/child.yaml": childKustomization(), "child/extra.yaml": configMap("extra") },
    "first",
  );

  const git = await sluice(["create", "source", "git", "fleet", "--url", server.url("fleet"), "--branch", "main", "--interval", "10m", ...n]);
  assert.equal(git.code, 0, git.stderr);
  assert.match(git.stderr, /► creating GitRepository fleet in \S+ namespace\n✔ GitRepository created\n/);
  assert.ok(git.stderr.includes(`✔ fetched revision main@sha1:${sha1}`), git.stderr);

  const ks = await sluice(["create", "ks", "root", "--source", "GitRepository/fleet", "--path", "./root", "--prune", "--target-namespace", ns, "--interval", "10m", ...n]);
  assert.equal(ks.code, 0, ks.stderr);
  assert.ok(ks.stderr.includes(`✔ applied revision main@sha1:${sha1}`), ks.stderr);

  // Applying it again is an update that changes nothing.
  const again = await sluice(["create", "ks", "root", "--source", "GitRepository/fleet", "--path", "./root", "--prune", "--target-namespace", ns, "--interval", "10m", ...n]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /✔ Kustomization updated/);

  // A new commit, fetched and applied on request.
  const sha2 = await repo.commit({ "root/settings.yaml": configMap("settings", { a: "2" }) }, "second");
  const rec = await sluice(["reconcile", "ks", "root", "--with-source", ...n]);
  assert.equal(rec.code, 0, rec.stderr);
  assert.ok(rec.stderr.includes(`✔ fetched revision main@sha1:${sha2}`), rec.stderr);
  assert.ok(rec.stderr.trimEnd().endsWith(`✔ applied revision main@sha1:${sha2}`), rec.stderr);

  const child = await sluice(["reconcile", "ks", "child", ...n]);
  assert.equal(child.code, 0, child.stderr);

  const get = await sluice(["get", "ks", ...n]);
  assert.equal(get.code, 0, get.stderr);
  assert.match(get.stdout, new RegExp(`\\nroot\\s+main@sha1:${sha2.slice(0, 8)}\\s+False\\s+True\\s+Applied revision: main@sha1:${sha2.slice(0, 8)}\\n`));

  const tree = await sluice(["tree", "ks", "root", ...n]);
  assert.equal(tree.code, 0, tree.stderr);
  assert.deepEqual(tree.stdout.trimEnd().split("\n"), [
    `Kustomization/${ns}/root`,
    `├── Kustomization/${ns}/child`,
    `│   └── ConfigMap/${ns}/extra`,
    `└── ConfigMap/${ns}/settings`,
  ]);

  const events = await sluice(["events", "--for", "Kustomization/root", ...n]);
  assert.equal(events.code, 0, events.stderr);
  assert.match(events.stdout, /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE\n/);
  assert.match(events.stdout, /\s+Normal\s+\S+\s+Kustomization\/root\s/);
  assert.match(events.stdout, /\s+Normal\s+\S+\s+GitRepository\/fleet\s/, "the source's events come with it");
  assert.doesNotMatch(events.stdout, /Kustomization\/child/);

  const exported = await sluice(["export", "ks", "--all", ...n]);
  assert.equal(exported.code, 0, exported.stderr);
  const docs = parseAllDocuments(exported.stdout).map((d) => d.toJS());
  assert.deepEqual(docs.map((d) => d.metadata.name), ["child", "root"]);
  for (const d of docs) assert.equal(d.status, undefined);
  assert.deepEqual(docs[1].metadata, { name: "root", namespace: ns });
  // The child was applied by root: its owner labels are part of it.
  assert.equal(docs[0].metadata.labels["kustomize.toolkit.fluxcd.io/name"], "root");
  assert.deepEqual(Object.keys(docs[0].metadata).sort(), ["labels", "name", "namespace"]);

  const del = await sluice(["delete", "ks", "root", "--silent", ...n]);
  assert.equal(del.code, 0, del.stderr);
  assert.match(del.stderr, /✔ Kustomization deleted; its controller is finalizing it/);
  for (let i = 0; i < 100 && (await tm.manager.api.find(core("configmaps", "ConfigMap"), ns, "settings")); i++) {
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(await tm.manager.api.find(core("configmaps", "ConfigMap"), ns, "settings"), undefined, "pruned by the controller");
  assert.ok(await tm.manager.api.find(gitRepositoryRef, ns, "fleet"));
});
