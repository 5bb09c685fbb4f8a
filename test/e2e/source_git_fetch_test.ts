/**
 * GitRepository end to end: fetch over smart HTTP, Flux's revisions and refs, the artifact served
 * and matching its digest, the no-op poll, requestedAt, new revisions with events, ignore rules,
 * GC and removal on deletion.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { gitProcessesStarted } from "../../src/source/git/run_git.ts";
import { kubeOk } from "../support/cluster.ts";
import { eventually } from "../support/test_crd.ts";
import {
  condition,
  createGitRepository,
  download,
  eventsFor,
  getGitRepository,
  gitRepositoryRef,
  isReady,
  requestReconcile,
  sourceEnv,
  tarNames,
  waitForRepo,
} from "./source_support.ts";

describe("source: GitRepository fetch", () => {
  it("becomes Ready with Flux's revision, serves the artifact whose sha256 matches, and polls without cloning", async (t) => {
    const env = await sourceEnv(t);
    const repo = await env.git.repo("app");
    const c1 = await repo.commit({ "deploy/app.yaml": "kind: ConfigMap\n", "logo.png": "png", ".github/workflows/ci.yml": "x", "README.md": "hi" }, "first commit");
    await createGitRepository(env.api, env.ns, "app", { url: env.http.url("app"), ref: { branch: "main" } });
    const ready = await waitForRepo(env.api, env.ns, "app", "app Ready", isReady);
    const art = ready.status!.artifact!;
    assert.equal(art.revision, `main@sha1:${c1}`);
    assert.equal(art.path, `gitrepository/${env.ns}/app/${c1}.tar.gz`);
    assert.match(art.digest, /^sha256:[0-9a-f]{64}$/);
    assert.equal(condition(ready, "Ready")!.message, `stored artifact for revision 'main@sha1:${c1}'`);
    assert.equal(condition(ready, "ArtifactInStorage")?.status, "True");
    assert.equal(condition(ready, "Reconciling"), undefined);
    const got = await download(art.url);
    assert.equal(got.status, 200);
    assert.equal(got.digest, art.digest);
    assert.equal(got.body.length, art.size);
    assert.deepEqual(tarNames(got.body).sort(), ["README.md", "deploy/", "deploy/app.yaml"], "default ignore rules drop .github and images");
    const events = await eventsFor(env.api, env.ns, "app");
    const newArtifact = events.find((e) => e.reason === "NewArtifact");
    assert.equal(newArtifact?.message, "stored artifact for commit 'first commit'");
    assert.equal(newArtifact?.metadata.annotations?.["source.toolkit.fluxcd.io/revision"], art.revision);
    assert.equal(newArtifact?.metadata.annotations?.["source.toolkit.fluxcd.io/digest"], art.digest);

    // A poll with nothing new: one ref listing, no fetch, no new status.
    const before = { ...env.http.stats };
    const processes = gitProcessesStarted();
    await requestReconcile(env.api, env.ns, "app");
    const polled = await waitForRepo(env.api, env.ns, "app", "requestedAt handled", (r) => r.status?.lastHandledReconcileAt !== undefined);
    assert.equal(env.http.stats.fetches, before.fetches, "no pack was fetched");
    assert.equal(env.http.stats.refListings - before.refListings, 1, "exactly one ref listing");
    assert.equal(gitProcessesStarted() - processes, 1, "one git process (ls-remote)");
    assert.deepEqual(polled.status!.artifact, { ...art, url: polled.status!.artifact!.url });

    // A new commit and a reconcile request: a new artifact at once.
    const c2 = await repo.commit({ "deploy/app.yaml": "kind: ConfigMap\nmetadata: {name: two}\n" }, "second commit with a rather long subject line that goes on");
    await requestReconcile(env.api, env.ns, "app");
    const next = await waitForRepo(env.api, env.ns, "app", "second revision", (r) => r.status?.artifact?.revision === `main@sha1:${c2}`);
    assert.equal(condition(next, "Ready")?.status, "True");
    assert.equal((await download(next.status!.artifact!.url)).digest, next.status!.artifact!.digest);
    const ev = await eventually("NewArtifact event for c2", async () =>
      (await eventsFor(env.api, env.ns, "app")).find((e) => e.reason === "NewArtifact" && e.metadata.annotations?.["source.toolkit.fluxcd.io/revision"] === `main@sha1:${c2}`),
    );
    assert.equal(ev.message, "stored artifact for commit 'second commit with a rather long subject line that...'");
    // The previous artifact is kept for the retention window (records=2), the new one is there.
    const dir = join(env.tm.flags.storagePath, "gitrepository", env.ns, "app");
    assert.deepEqual((await readdir(dir)).sort(), [`${c1}.tar.gz`, `${c2}.tar.gz`].sort());

    // Deleting the object removes its artifacts, then the object.
    await env.api.delete(gitRepositoryRef, env.ns, "app");
    await eventually("artifacts removed", () => !existsSync(dir));
    await eventually("object gone", async () => (await env.api.find(gitRepositoryRef, env.ns, "app")) === undefined);
  });

  it("resolves tags, semver ranges, names and commits with Flux's revisions", async (t) => {
    const env = await sourceEnv(t);
    const repo = await env.git.repo("refs");
    const c1 = await repo.commit({ "a.txt": "1" });
    await repo.tag("v1.0.0", { message: "annotated release" });
    const c2 = await repo.commit({ "a.txt": "2" });
    await repo.tag("v1.1.0");
    await repo.tag("v2.0.0-rc.1");
    await repo.checkout("feature");
    const c3 = await repo.commit({ "b.txt": "3" });
    const url = env.http.url("refs");
    const cases: Array<[string, object, string]> = [
      ["tag", { tag: "v1.0.0" }, `v1.0.0@sha1:${c1}`],
      ["semver", { semver: "^1.0.0" }, `v1.1.0@sha1:${c2}`],
      ["semver-pre", { semver: ">=2.0.0-0" }, `v2.0.0-rc.1@sha1:${c2}`],
      ["name", { name: "refs/heads/feature" }, `refs/heads/feature@sha1:${c3}`],
      ["commit", { commit: c1 }, `sha1:${c1}`],
      ["commit-branch", { commit: c2, branch: "main" }, `main@sha1:${c2}`],
      ["precedence", { branch: "feature", tag: "v1.0.0", semver: "*" }, `v1.0.0@sha1:${c1}`],
    ];
    for (const [name, ref] of cases) await createGitRepository(env.api, env.ns, name, { url, ref });
    for (const [name, , revision] of cases) {
      const r = await waitForRepo(env.api, env.ns, name, `${name} Ready`, isReady);
      assert.equal(r.status!.artifact!.revision, revision, name);
      assert.equal((await download(r.status!.artifact!.url)).digest, r.status!.artifact!.digest, name);
    }
  });

  it("applies .sourceignore and spec.ignore with Flux's precedence", async (t) => {
    const env = await sourceEnv(t);
    const repo = await env.git.repo("ign");
    await repo.commit({ ".sourceignore": "*.md\n", "docs/notes.md": "x", "keep.md": "k", "app/x.yaml": "x", "logo.png": "p", "app/secret.yaml": "s" });
    await createGitRepository(env.api, env.ns, "ign", { url: env.http.url("ign"), ref: { branch: "main" }, ignore: "!keep.md\napp/secret.yaml\n" });
    const r = await waitForRepo(env.api, env.ns, "ign", "ign Ready", isReady);
    const names = tarNames((await download(r.status!.artifact!.url)).body).sort();
    // User patterns exist, so the defaults (e.g. *.png) no longer apply; .sourceignore itself is kept as Flux does.
    assert.deepEqual(names, [".sourceignore", "app/", "app/x.yaml", "docs/", "keep.md", "logo.png"]);
    assert.equal(r.status!.observedIgnore, "!keep.md\napp/secret.yaml\n");
    // Changing spec.ignore re-packages the same commit.
    await env.api.mergePatch(gitRepositoryRef, env.ns, "ign", { spec: { ignore: "logo.png\n" } });
    const r2 = await waitForRepo(env.api, env.ns, "ign", "ign repackaged", (x) => isReady(x) && x.status?.observedIgnore === "logo.png\n");
    assert.notEqual(r2.status!.artifact!.digest, r.status!.artifact!.digest);
    assert.equal(r2.status!.artifact!.revision, r.status!.artifact!.revision);
    assert.ok(!tarNames((await download(r2.status!.artifact!.url)).body).includes("logo.png"));
  });

  it("shows Ready with the revision through the API (kubectl get gitrepositories)", async (t) => {
    const env = await sourceEnv(t);
    const repo = await env.git.repo("list");
    const c1 = await repo.commit({ "a.yaml": "a: 1\n" });
    await createGitRepository(env.api, env.ns, "list", { url: env.http.url("list"), ref: { branch: "main" } });
    await waitForRepo(env.api, env.ns, "list", "Ready", isReady);
    const res = await kubeOk({
      path: `/apis/source.toolkit.fluxcd.io/v1/namespaces/${env.ns}/gitrepositories`,
      accept: "application/json;as=Table;v=v1;g=meta.k8s.io",
    });
    const table = res.json<{ columnDefinitions: Array<{ name: string }>; rows: Array<{ cells: unknown[] }> }>();
    const cols = table.columnDefinitions.map((c) => c.name);
    const row = table.rows[0].cells;
    assert.equal(row[cols.indexOf("Ready")], "True");
    assert.match(String(row[cols.indexOf("Status")]), new RegExp(`main@sha1:${c1}`));
    const r = await getGitRepository(env.api, env.ns, "list");
    assert.equal(r.status!.artifact!.revision, `main@sha1:${c1}`);
  });

  it("rebuilds a stored artifact that no longer matches its digest", async (t) => {
    const env = await sourceEnv(t);
    const repo = await env.git.repo("r");
    await repo.commit({ "a.yaml": "a: 1\n" });
    await createGitRepository(env.api, env.ns, "r", { url: env.http.url("r"), ref: { branch: "main" } });
    const good = await waitForRepo(env.api, env.ns, "r", "Ready", isReady);
    const { writeFile } = await import("node:fs/promises");
    await writeFile(join(env.tm.flags.storagePath, good.status!.artifact!.path), "tampered");
    await requestReconcile(env.api, env.ns, "r");
    await eventually("ArtifactVerificationFailed event", async () => (await eventsFor(env.api, env.ns, "r")).find((e) => e.reason === "ArtifactVerificationFailed"));
    const again = await waitForRepo(env.api, env.ns, "r", "rebuilt", (r) => isReady(r) && r.status?.lastHandledReconcileAt !== undefined);
    assert.equal(again.status!.artifact!.digest, good.status!.artifact!.digest, "the same tree gives the same digest");
    assert.equal((await download(again.status!.artifact!.url)).digest, good.status!.artifact!.digest);
  });
});
