import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { KubeObject } from "../../src/api/meta.ts";
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import {
  cliEnv,
  type Fleet,
  gitRepository,
  gitRepositoryRef,
  kustomization,
  kustomizationRef,
  sluice,
  sluiceOnTty,
  startFleet,
  testApi,
} from "./cli_support.ts";
import { configMap } from "./kustomize_support.ts";
import { freshNamespace } from "../support/cluster.ts";
import { waitForMessage, waitForReady } from "./cli_wait.ts";

const api = testApi();
// At top level: freshNamespace registers its cleanup with after(), which inside before() would run at once.
const ns = await freshNamespace("cli");
const idle = await freshNamespace("cli-idle");
let fleet: Fleet;
/** A server that accepts connections and never answers: a fetch from it hangs. */
let silent: Server;
const sockets = new Set<Socket>();

const status = (o: KubeObject | undefined) => (o?.status ?? {}) as Record<string, unknown> & { artifact?: { revision: string } };

before(async () => {
  fleet = await startFleet(ns);
  silent = createServer((s) => void sockets.add(s));
  await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
  const url = fleet.server.url("fleet");
  await api.apply(gitRepository(ns, "repo", { url }), { fieldManager: "test" });
  await api.apply(kustomization(ns, "apps", { path: "./apps", targetNamespace: ns }), { fieldManager: "test" });
  await api.apply(kustomization(ns, "broken", { path: "./nope", targetNamespace: ns }), { fieldManager: "test" });
  await api.apply(gitRepository(idle, "repo", { url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/r.git` }), { fieldManager: "test" });
  await waitForReady(api, "Kustomization", ns, "apps", 60_000);
});

after(async () => {
  for (const s of sockets) s.destroy();
  silent.close();
  await fleet.stop();
  await api.client.close();
});

test("reconcile source git requests a reconcile, waits for it and prints the fetched revision", async () => {
  const r = await sluice(["reconcile", "source", "git", "repo", "-n", ns]);
  assert.equal(r.code, 0, r.stderr);
  const obj = await api.get(gitRepositoryRef, ns, "repo");
  const requested = obj.metadata.annotations?.["reconcile.fluxcd.io/requestedAt"];
  assert.ok(requested);
  assert.equal(status(obj).lastHandledReconcileAt, requested);
  assert.match(r.stderr, /► annotating GitRepository repo in \S+ namespace\n✔ GitRepository annotated\n/);
  assert.match(r.stderr, new RegExp(`◎ waiting for GitRepository ${ns}/repo reconciliation`));
  assert.ok(r.stderr.includes(`✔ fetched revision ${status(obj).artifact!.revision}\n`), r.stderr);
});

test("reconcile ks --with-source fetches the source first, then applies its new revision", async () => {
  const sha = await fleet.repo.commit({ "apps/settings.yaml": configMap("settings", { a: "2" }) }, "second");
  const r = await sluice(["reconcile", "ks", "apps", "--with-source", "-n", ns]);
  assert.equal(r.code, 0, r.stderr);
  const source = await api.get(gitRepositoryRef, ns, "repo");
  const revision = status(source).artifact!.revision;
  assert.equal(revision, `main@sha1:${sha}`);
  const ks = await api.get(kustomizationRef, ns, "apps");
  assert.equal(status(ks).lastAppliedRevision, revision);
  assert.ok(r.stderr.indexOf("annotating GitRepository repo") < r.stderr.indexOf("annotating Kustomization apps"));
  assert.ok(r.stderr.trimEnd().endsWith(`✔ applied revision ${revision}`), r.stderr);
});

test("a failed reconcile exits non-zero with the controller's reason and message", async () => {
  await waitForMessage(api, "Kustomization", ns, "broken", /path not found/);
  const r = await sluice(["reconcile", "kustomization", "broken", "-n", ns]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`✗ Kustomization ${ns}/broken reconciliation failed: ArtifactFailed: kustomization path not found: "./nope"`));
});

test("progress: plain lines without a terminal, a spinner on one", async () => {
  const plain = await sluice(["reconcile", "ks", "apps", "-n", ns]);
  assert.equal(plain.code, 0, plain.stderr);
  assert.doesNotMatch(plain.stderr, /\r/);

  const tty = await sluiceOnTty(["reconcile", "ks", "apps", "-n", ns], cliEnv({ NO_COLOR: undefined }));
  assert.equal(tty.code, 0, tty.stdout);
  assert.match(tty.stdout, /\r\x1b\[2K\S*[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]\S* waiting for Kustomization/);
  assert.match(tty.stdout, /\x1b\[32m✔\x1b\[39m applied revision main@sha1:/, "colour on a terminal");

  const noColour = await sluiceOnTty(["reconcile", "ks", "apps", "-n", ns], cliEnv({ NO_COLOR: "1" }));
  assert.equal(noColour.code, 0, noColour.stdout);
  assert.match(noColour.stdout, /✔ applied revision main@sha1:/);
  assert.doesNotMatch(noColour.stdout, /\x1b\[\d+m/, "NO_COLOR: no colour, even on a terminal");
});

test("reconcile refuses a suspended object and says how to resume it", async () => {
  await api.apply(gitRepository(ns, "paused", { suspend: true }), { fieldManager: "test" });
  const r = await sluice(["reconcile", "source", "git", "paused", "-n", ns]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`GitRepository ${ns}/paused is suspended: resume it with \`sluice resume source git paused -n ${ns}\``));
});

test("with no controller the wait times out with a hint", async () => {
  const r = await sluice(["reconcile", "source", "git", "repo", "-n", idle, "--timeout", "2s"]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /✗ timed out after 2s waiting for GitRepository \S+\/repo: no controller has handled the request yet; is Sluice running\?/);
});

test("bad input: missing object, malformed --timeout, a kind that is not reconciled", async () => {
  const missing = await sluice(["reconcile", "ks", "nope", "-n", ns]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /Kustomization "nope" not found in namespace/);

  const timeout = await sluice(["reconcile", "ks", "apps", "--timeout", "5x"]);
  assert.equal(timeout.code, 1);
  assert.match(timeout.stderr, /option '--timeout <duration>' argument '5x' is invalid. invalid duration "5x"/);

  const kind = await sluice(["reconcile", "alert", "a"]);
  assert.equal(kind.code, 1);
  assert.match(kind.stderr, /sluice reconcile does not work on Alert objects/);

  const names = await sluice(["reconcile", "ks"]);
  assert.equal(names.code, 1);
  assert.match(names.stderr, /needs exactly one name/);
});

test("suspend several by name, resume --all waits for each to be ready", async () => {
  await fleet.repo.commit({ "one/cm.yaml": configMap("one"), "two/cm.yaml": configMap("two") }, "one and two");
  assert.equal((await sluice(["reconcile", "source", "git", "repo", "-n", ns])).code, 0);
  await api.apply(kustomization(ns, "one", { path: "./one", targetNamespace: ns }), { fieldManager: "test" });
  await api.apply(kustomization(ns, "two", { path: "./two", targetNamespace: ns }), { fieldManager: "test" });
  const s = await sluice(["suspend", "ks", "one", "two", "-n", ns]);
  assert.equal(s.code, 0, s.stderr);
  for (const name of ["one", "two"]) {
    const o = await api.get(kustomizationRef, ns, name);
    assert.equal((o.spec as { suspend?: boolean }).suspend, true);
  }
  assert.match(s.stderr, /✔ Kustomization one suspended\n.*\n✔ Kustomization two suspended/s);

  const r = await sluice(["resume", "ks", "one", "two", "-n", ns, "--wait"]);
  assert.equal(r.code, 0, r.stderr);
  for (const name of ["one", "two"]) {
    const o = await api.get(kustomizationRef, ns, name);
    assert.equal((o.spec as { suspend?: boolean }).suspend, false);
    assert.equal(status(o).lastHandledReconcileAt, o.metadata.annotations?.["reconcile.fluxcd.io/requestedAt"]);
    assert.match(r.stderr, new RegExp(`✔ Kustomization ${name} reconciled revision main@sha1:`));
  }

  const all = await sluice(["suspend", "ks", "--all", "-n", ns]);
  assert.equal(all.code, 0, all.stderr);
  const listed = await api.list(kustomizationRef, ns);
  assert.ok(listed.items.every((o) => (o.spec as { suspend?: boolean }).suspend === true));
  const resumed = await sluice(["resume", "ks", "--all", "-n", ns, "--no-wait"]);
  assert.equal(resumed.code, 0, resumed.stderr);
});

test("suspend and resume --all -A act on every namespace (narrowed here with -l to this test's objects)", async () => {
  const run = { "sluice.test/run": ns };
  const labelled = (o: KubeObject): KubeObject => ({ ...o, metadata: { ...o.metadata, labels: run } });
  await api.apply(labelled(kustomization(ns, "across-a", { path: "./apps", targetNamespace: ns })), { fieldManager: "test" });
  await api.apply(labelled(kustomization(idle, "across-b", { path: "./apps" })), { fieldManager: "test" });
  const selector = `sluice.test/run=${ns}`;

  const s = await sluice(["suspend", "ks", "--all", "-A", "-l", selector]);
  assert.equal(s.code, 0, s.stderr);
  assert.match(s.stderr, new RegExp(`► suspending Kustomization across-a in ${ns} namespace\n✔ Kustomization across-a suspended`));
  assert.match(s.stderr, new RegExp(`► suspending Kustomization across-b in ${idle} namespace\n✔ Kustomization across-b suspended`));
  for (const [n, name] of [[ns, "across-a"], [idle, "across-b"]]) {
    assert.equal(((await api.get(kustomizationRef, n, name)).spec as { suspend?: boolean }).suspend, true, `${n}/${name}`);
  }
  assert.notEqual(((await api.get(kustomizationRef, ns, "apps")).spec as { suspend?: boolean }).suspend, true, "objects without the label are left alone");

  // --all does not wait unless asked, as flux; -A resumes in each object's own namespace.
  const r = await sluice(["resume", "ks", "--all", "-A", "-l", selector]);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /waiting for/);
  assert.match(r.stderr, new RegExp(`► resuming Kustomization across-b in ${idle} namespace`));
  for (const [n, name] of [[ns, "across-a"], [idle, "across-b"]]) {
    assert.equal(((await api.get(kustomizationRef, n, name)).spec as { suspend?: boolean }).suspend, false, `${n}/${name}`);
  }
  const waited = await sluice(["resume", "ks", "--all", "-n", ns, "-l", selector, "--wait"]);
  assert.equal(waited.code, 0, waited.stderr);
  assert.match(waited.stderr, /✔ Kustomization across-a reconciled revision main@sha1:/);

  const names = await sluice(["suspend", "ks", "across-a", "-A"]);
  assert.equal(names.code, 1);
  assert.match(names.stderr, /^✗ -A needs --all: `sluice suspend kustomization --all -A` acts on every Kustomization in every namespace/);
  const none = await sluice(["resume", "ks", "--all", "-A", "-l", "sluice.test/run=nothing-here"]);
  assert.equal(none.code, 1);
  assert.equal(none.stderr, "✗ no Kustomization objects found in any namespace with labels sluice.test/run=nothing-here\n");
});
