/**
 * GitRepository verify (PGP and SSH keys; HEAD, Tag, TagAndHEAD), include (copied to toPath,
 * re-packaged when the included repository changes, through the watch), sparseCheckout and
 * recurseSubmodules, end to end.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { git, gpgKey, sshKey } from "../support/git_server.ts";
import {
  condition,
  createGitRepository,
  createSecret,
  download,
  failedWith,
  gitRepositoryRef,
  isReady,
  sourceEnv,
  tarNames,
  waitForRepo,
} from "./source_support.ts";

describe("source: GitRepository verify, include, sparse checkout, submodules", () => {
  it("verifies PGP-signed commits and SSH-signed tags; unsigned and wrongly signed ones fail", async (t) => {
    const env = await sourceEnv(t);
    const gpg = await gpgKey("Release");
    const stranger = await gpgKey("Stranger");
    const sshSigner = await sshKey();
    t.after(() => Promise.all([gpg.remove(), stranger.remove()]).then(() => undefined));
    const repo = await env.git.repo("signed");
    const c1 = await repo.commit({ "a.txt": "1" }, "signed commit", { gpg });
    await repo.tag("v1.0.0", { message: "release", sign: { ssh: sshSigner } });
    await repo.tag("v1.0.1");
    await createSecret(env.api, env.ns, "keys", { "release.asc": gpg.publicKey, "ci.sshpub": sshSigner.publicKey });
    await createSecret(env.api, env.ns, "stranger", { "stranger.asc": stranger.publicKey });
    const url = env.http.url("signed");
    await createGitRepository(env.api, env.ns, "head", { url, ref: { branch: "main" }, verify: { mode: "HEAD", secretRef: { name: "keys" } } });
    await createGitRepository(env.api, env.ns, "tag", { url, ref: { tag: "v1.0.0" }, verify: { mode: "TagAndHEAD", secretRef: { name: "keys" } } });
    await createGitRepository(env.api, env.ns, "wrong-key", { url, ref: { branch: "main" }, verify: { mode: "HEAD", secretRef: { name: "stranger" } } });
    await createGitRepository(env.api, env.ns, "lightweight", { url, ref: { tag: "v1.0.1" }, verify: { mode: "Tag", secretRef: { name: "keys" } } });
    await createGitRepository(env.api, env.ns, "branch-tag-mode", { url, ref: { branch: "main" }, verify: { mode: "Tag", secretRef: { name: "keys" } } });
    await createGitRepository(env.api, env.ns, "no-secret", { url, ref: { branch: "main" }, verify: { mode: "HEAD", secretRef: { name: "nope" } } });

    const head = await waitForRepo(env.api, env.ns, "head", "HEAD verified", isReady);
    assert.equal(condition(head, "SourceVerified")?.status, "True");
    assert.equal(condition(head, "SourceVerified")?.message, `verified signature of\n\t- commit '${c1}' with key '${gpg.keyId}'`);
    assert.equal(head.status!.sourceVerificationMode, "HEAD");
    const tag = await waitForRepo(env.api, env.ns, "tag", "tag verified", isReady);
    assert.equal(
      condition(tag, "SourceVerified")?.message,
      `verified signature of\n\t- tag 'v1.0.0@sha1:${c1}' with key '${sshSigner.fingerprint}'\n\t- commit '${c1}' with key '${gpg.keyId}'`,
    );
    const wrong = await waitForRepo(env.api, env.ns, "wrong-key", "wrong key", failedWith("InvalidCommitSignature", "SourceVerified", "False"));
    assert.match(condition(wrong, "SourceVerified")!.message, /signature of commit does not verify against any key in the Secret/);
    assert.equal(wrong.status?.artifact, undefined, "nothing unverified is published");
    const light = await waitForRepo(env.api, env.ns, "lightweight", "lightweight tag", failedWith("InvalidGitObject", "SourceVerified", "False"));
    assert.equal(condition(light, "SourceVerified")!.message, "tag 'v1.0.1' is a lightweight tag and carries no signature");
    const mode = await waitForRepo(env.api, env.ns, "branch-tag-mode", "tag mode on a branch", failedWith("InvalidVerificationMode", "SourceVerified", "False"));
    assert.equal(condition(mode, "Stalled")?.status, "True");
    await waitForRepo(env.api, env.ns, "no-secret", "verification secret missing", failedWith("VerificationError", "SourceVerified", "False"));

    // An unsigned commit on top of the verified one: the verified artifact stays, Ready goes False.
    const c2 = await repo.commit({ "a.txt": "2" }, "unsigned");
    await env.api.mergePatch(gitRepositoryRef, env.ns, "head", { metadata: { annotations: { "reconcile.fluxcd.io/requestedAt": "now" } } });
    const unsigned = await waitForRepo(env.api, env.ns, "head", "unsigned commit refused", failedWith("InvalidCommitSignature", "SourceVerified", "False"));
    assert.equal(condition(unsigned, "SourceVerified")!.message, "commit is not signed");
    assert.equal(unsigned.status!.artifact!.revision, `main@sha1:${c1}`);
    assert.notEqual(c2, c1);
  });

  it("includes other repositories' artifacts at toPath and re-packages when they change", async (t) => {
    const env = await sourceEnv(t);
    const lib = await env.git.repo("lib");
    await lib.commit({ "base/cm.yaml": "kind: ConfigMap\n", "other.txt": "o" });
    const app = await env.git.repo("app");
    await app.commit({ "app.yaml": "kind: Deployment\n" });
    await createGitRepository(env.api, env.ns, "lib", { url: env.http.url("lib"), ref: { branch: "main" }, interval: "1h" });
    await createGitRepository(env.api, env.ns, "app", {
      url: env.http.url("app"),
      ref: { branch: "main" },
      interval: "1h",
      include: [{ repository: { name: "lib" }, fromPath: "base", toPath: "vendor/lib" }],
    });
    const first = await waitForRepo(env.api, env.ns, "app", "app with include", isReady);
    const libReady = await waitForRepo(env.api, env.ns, "lib", "lib Ready", isReady);
    assert.deepEqual(first.status!.includedArtifacts, [libReady.status!.artifact]);
    assert.deepEqual(first.status!.observedInclude, [{ repository: { name: "lib" }, fromPath: "base", toPath: "vendor/lib" }]);
    assert.deepEqual(tarNames((await download(first.status!.artifact!.url)).body).sort(), ["app.yaml", "vendor/", "vendor/lib/", "vendor/lib/cm.yaml"]);

    // A new commit in lib: lib gets a new artifact, and app follows through the watch (interval is 1h).
    await lib.commit({ "base/cm2.yaml": "kind: ConfigMap\n" });
    await env.api.mergePatch(gitRepositoryRef, env.ns, "lib", { metadata: { annotations: { "reconcile.fluxcd.io/requestedAt": "lib-1" } } });
    const next = await waitForRepo(env.api, env.ns, "app", "app re-packaged", (r) => isReady(r) && r.status?.artifact?.digest !== first.status!.artifact!.digest, 15_000);
    assert.equal(next.status!.artifact!.revision, first.status!.artifact!.revision, "same app commit, new content");
    assert.ok(tarNames((await download(next.status!.artifact!.url)).body).includes("vendor/lib/cm2.yaml"));
  });

  it("sparseCheckout keeps only the named directories; a missing one fails", async (t) => {
    const env = await sourceEnv(t);
    const repo = await env.git.repo("mono");
    await repo.commit({ "apps/a.yaml": "a", "infra/b.yaml": "b", "README.md": "r" });
    await createGitRepository(env.api, env.ns, "sparse", { url: env.http.url("mono"), ref: { branch: "main" }, sparseCheckout: ["./apps"] });
    await createGitRepository(env.api, env.ns, "missing", { url: env.http.url("mono"), ref: { branch: "main" }, sparseCheckout: ["nope"] });
    const r = await waitForRepo(env.api, env.ns, "sparse", "sparse Ready", isReady);
    assert.deepEqual(tarNames((await download(r.status!.artifact!.url)).body).sort(), ["apps/", "apps/a.yaml"]);
    assert.deepEqual(r.status!.observedSparseCheckout, ["./apps"]);
    const m = await waitForRepo(env.api, env.ns, "missing", "missing sparse dir", failedWith("GitOperationFailed", "FetchFailed"));
    assert.match(condition(m, "FetchFailed")!.message, /sparse checkout dir 'nope' does not exist/);
  });

  it("recurseSubmodules checks out submodules", async (t) => {
    const env = await sourceEnv(t);
    const sub = await env.git.repo("sub");
    await sub.commit({ "lib.yaml": "sub" });
    const top = await env.git.repo("top");
    await top.commit({ "top.yaml": "top" });
    await git(top.work, ["-c", "protocol.file.allow=always", "submodule", "add", "-q", env.http.url("sub"), "modules/sub"]);
    await top.commit({}, "add submodule");
    await createGitRepository(env.api, env.ns, "top", { url: env.http.url("top"), ref: { branch: "main" }, recurseSubmodules: true });
    const r = await waitForRepo(env.api, env.ns, "top", "top Ready", isReady);
    assert.ok(tarNames((await download(r.status!.artifact!.url)).body).includes("modules/sub/lib.yaml"));
    assert.equal(r.status!.observedRecurseSubmodules, true);
  });
});
