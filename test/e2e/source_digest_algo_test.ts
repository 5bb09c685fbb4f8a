/**
 * --artifact-digest-algo end to end: with sha512 or blake3 the GitRepository records `<algo>:<hex>`
 * of the stored file, checks the stored file with it on every reconcile (a tampered file is
 * rebuilt), and a Kustomization verifies and applies the artifact. Other names are refused at start-up.
 */
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { request } from "undici";
import { freshNamespace } from "../support/cluster.ts";
import { GitFixtures, startGitHttpServer } from "../support/git_server.ts";
import { type DigestAlgorithm, newHasher } from "../../src/runtime/artifact/digest_algorithm.ts";
import { startTestManager } from "../support/test_manager.ts";
import { cliEnv, sluice } from "./cli_support.ts";

// Should a bad flag ever get through, the controller would watch one empty namespace and serve on free ports, touching nothing.
const isolated = ["--no-watch-all-namespaces", "--namespace=sluice-flag-test-none", "--storage-path=/tmp/sluice-flag-test", "--storage-addr=127.0.0.1:0", "--metrics-addr=127.0.0.1:0", "--health-addr=127.0.0.1:0"];
import { configMap, core, eventually, ksRef, kustomization, kustomizeBinary, waitReady } from "./kustomize_support.ts";
import { createGitRepository, eventsFor, gitRepositoryRef, isReady, requestReconcile, waitForRepo } from "./source_support.ts";

async function fileDigest(url: string, algo: DigestAlgorithm): Promise<string> {
  const res = await request(url);
  const hash = newHasher(algo);
  hash.update(Buffer.from(await res.body.arrayBuffer()));
  return `${algo}:${hash.hex()}`;
}

describe("source: --artifact-digest-algo", () => {
  for (const [algo, hexLength] of [["sha512", 128], ["blake3", 64]] as const) {
    it(`${algo}: recorded, verified on every reconcile, and accepted by the Kustomization controller`, async (t) => {
      const ns = await freshNamespace(`source-digest-${algo}`, t);
      const git = await GitFixtures.create();
      const http = await startGitHttpServer(git.root);
      const tm = await startTestManager(ns, ["source", "kustomize"], { flags: { artifactDigestAlgo: algo, kustomizeBinary: kustomizeBinary() } });
      const api = tm.manager.api;
      t.after(async () => {
        await api.delete(ksRef, ns, "apps").catch(() => undefined);
        await eventually("Kustomization finalized", async () => (await api.find(ksRef, ns, "apps")) === undefined || undefined, 20_000).catch(() => undefined);
        await api.delete(gitRepositoryRef, ns, "fleet").catch(() => undefined);
        await eventually("GitRepository finalized", async () => (await api.find(gitRepositoryRef, ns, "fleet")) === undefined || undefined, 20_000).catch(() => undefined);
        await tm.stop();
        await http.stop();
        await git.cleanup();
      });
      const repo = await git.repo("fleet");
      const sha = await repo.commit({ "apps/settings.yaml": configMap("settings") });
      await createGitRepository(api, ns, "fleet", { url: http.url("fleet"), ref: { branch: "main" } });
      const ready = await waitForRepo(api, ns, "fleet", "Ready", isReady);
      const artifact = ready.status!.artifact!;
      assert.match(artifact.digest, new RegExp(`^${algo}:[0-9a-f]{${hexLength}}$`));
      assert.equal(await fileDigest(artifact.url, algo), artifact.digest);

      await api.create(ksRef, kustomization(ns, "apps", { path: "./apps", targetNamespace: ns, sourceRef: { kind: "GitRepository", name: "fleet" } }));
      await waitReady(api, ns, "apps", { revision: `main@sha1:${sha}` }, 60_000);
      assert.ok(await api.find(core("configmaps", "ConfigMap"), ns, "settings"), `applied from the ${algo} artifact`);

      await writeFile(join(tm.flags.storagePath, artifact.path), "tampered");
      const at = await requestReconcile(api, ns, "fleet");
      await eventually("ArtifactVerificationFailed event", async () => (await eventsFor(api, ns, "fleet")).find((e) => e.reason === "ArtifactVerificationFailed"));
      const rebuilt = await waitForRepo(api, ns, "fleet", "rebuilt", (r) => r.status?.lastHandledReconcileAt === at && isReady(r));
      assert.equal(rebuilt.status!.artifact!.digest, artifact.digest);
      assert.equal(await fileDigest(rebuilt.status!.artifact!.url, algo), artifact.digest);
    });
  }

  it("an unknown name is refused at start-up with one line", async () => {
    for (const [algo, said] of [
      ["md5", 'unknown digest algorithm "md5"; use one of sha256, sha384, sha512, blake3'],
      ["blake2b", 'unknown digest algorithm "blake2b"; use one of sha256, sha384, sha512, blake3'],
    ]) {
      const res = await sluice(["controllers", `--artifact-digest-algo=${algo}`, "--controllers=source", ...isolated], { env: cliEnv(), timeoutMs: 20_000 });
      assert.notEqual(res.code, 0);
      assert.equal(res.stdout, "");
      const lines = res.stderr.trim().split("\n");
      assert.equal(lines.length, 1, res.stderr);
      assert.ok(lines[0].includes("--artifact-digest-algo") && lines[0].endsWith(said), res.stderr);
    }
  });
});
