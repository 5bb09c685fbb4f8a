import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { parse, parseAllDocuments } from "yaml";
import { type Fleet, gitRepository, gitRepositoryRef, interrupt, kustomization, sluice, spawnSluice, startFleet, testApi, collect } from "./cli_support.ts";
import { freshNamespace } from "../support/cluster.ts";
import { waitForReady } from "./cli_wait.ts";

const api = testApi();
// At top level: freshNamespace registers its cleanup with after(), which inside before() would run at once.
const ns = await freshNamespace("cli");
let fleet: Fleet;

before(async () => {
  fleet = await startFleet(ns);
  await api.apply(gitRepository(ns, "repo", { url: fleet.server.url("fleet") }), { fieldManager: "test" });
  await api.apply(gitRepository(ns, "broken", { url: fleet.server.url("missing") }), { fieldManager: "test" });
  await api.apply(kustomization(ns, "apps", { path: "./apps", targetNamespace: ns }), { fieldManager: "test" });
  await waitForReady(api, "Kustomization", ns, "apps", 60_000);
});

after(async () => {
  await fleet.stop();
  await api.client.close();
});

test("get sources git prints flux's columns with hashes shortened", async () => {
  const r = await sluice(["get", "sources", "git", "-n", ns]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split("\n");
  assert.match(lines[0], /^NAME\s+REVISION\s+SUSPENDED\s+READY\s+MESSAGE$/);
  assert.match(r.stdout, /\nbroken\s+False\s+False\s+failed to checkout and determine revision/);
  const short = fleet.sha.slice(0, 8);
  assert.match(r.stdout, new RegExp(`\\nrepo\\s+main@sha1:${short}\\s+False\\s+True\\s+stored artifact for revision 'main@sha1:${short}'\\n`));
  // Columns line up: every row's READY starts where the header's does.
  const at = lines[0].indexOf("READY");
  for (const l of lines.slice(1)) assert.match(l.slice(at), /^(True|False)/);
});

test("get ks shows the applied revision; get all prefixes names with the kind", async () => {
  const ks = await sluice(["get", "ks", "-n", ns]);
  assert.equal(ks.code, 0, ks.stderr);
  const short = fleet.sha.slice(0, 8);
  assert.match(ks.stdout, new RegExp(`\\napps\\s+main@sha1:${short}\\s+False\\s+True\\s+Applied revision: main@sha1:${short}\\n`));

  const all = await sluice(["get", "all", "-n", ns]);
  assert.equal(all.code, 0, all.stderr);
  assert.match(all.stdout, /\ngitrepository\/repo\s/);
  assert.match(all.stdout, /\nkustomization\/apps\s/);
  assert.match(all.stdout, /\n\nNAME/, "a blank line between tables");
});

test("--status-selector keeps only matching objects", async () => {
  const notReady = await sluice(["get", "sources", "git", "-n", ns, "--status-selector", "ready=false"]);
  assert.equal(notReady.code, 0, notReady.stderr);
  assert.match(notReady.stdout, /\nbroken\s/);
  assert.doesNotMatch(notReady.stdout, /\nrepo\s/);
  const ready = await sluice(["get", "sources", "git", "-n", ns, "--status-selector", "Ready!=False"]);
  assert.match(ready.stdout, /\nrepo\s/);
  assert.doesNotMatch(ready.stdout, /\nbroken\s/);
});

test("-o yaml and -o json print the objects without managedFields", async () => {
  const y = await sluice(["get", "source", "git", "repo", "-n", ns, "-o", "yaml"]);
  assert.equal(y.code, 0, y.stderr);
  const docs = parseAllDocuments(y.stdout).map((d) => d.toJS());
  assert.equal(docs.length, 1);
  assert.equal(docs[0].kind, "GitRepository");
  assert.equal(docs[0].metadata.managedFields, undefined);
  assert.equal(docs[0].status.artifact.revision, `main@sha1:${fleet.sha}`);

  const j = await sluice(["get", "sources", "git", "-n", ns, "-o", "json"]);
  const list = JSON.parse(j.stdout);
  assert.equal(list.kind, "List");
  assert.deepEqual(list.items.map((o: { metadata: { name: string } }) => o.metadata.name).sort(), ["broken", "repo"]);
  assert.equal(parse(j.stdout).items[0].apiVersion, "source.toolkit.fluxcd.io/v1");
});

test("bad input: unknown kind, missing object, malformed flags", async () => {
  const kind = await sluice(["get", "pods", "-n", ns]);
  assert.equal(kind.code, 1);
  assert.match(kind.stderr, /^✗ unknown kind "pods": want one of all, sources, source git/);

  const missing = await sluice(["get", "ks", "nope", "-n", ns]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, new RegExp(`Kustomization "nope" not found in namespace "${ns}": list them with \`sluice get kustomizations -n ${ns}\``));

  const output = await sluice(["get", "ks", "-o", "xml"]);
  assert.equal(output.code, 1);
  assert.match(output.stderr, /argument 'xml' is invalid. want yaml or json/);

  const selector = await sluice(["get", "ks", "--status-selector", "ready"]);
  assert.equal(selector.code, 1);
  assert.match(selector.stderr, /want <condition>=<status>/);
  for (const r of [kind, missing, output, selector]) assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
});

test("--watch prints the table, then a row each time an object changes", async () => {
  const child = spawnSluice(["get", "sources", "git", "repo", "-n", ns, "--watch"]);
  const out = collect(child.stdout!);
  let code: number | null;
  try {
    await out.waitFor((all) => /\nrepo\s+main@sha1:\S+\s+False\s+True/.test(all));
    await api.mergePatch(gitRepositoryRef, ns, "repo", { spec: { suspend: true } });
    await out.waitFor((all) => /repo\s+main@sha1:\S+\s+True\s+True/.test(all));
  } finally {
    code = await interrupt(child);
    await api.mergePatch(gitRepositoryRef, ns, "repo", { spec: { suspend: false } });
  }
  assert.equal(code, 0, "Ctrl-C ends a watch cleanly");
});
