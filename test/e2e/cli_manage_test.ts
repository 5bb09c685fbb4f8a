/**
 * delete, export, events, tree and create's flag checking, on objects whose status and events the
 * test writes itself (no controller runs in this namespace).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { parseAllDocuments } from "yaml";
import { freshNamespace } from "../support/cluster.ts";
import { cliEnv, collect, expectOneLineErrors, gitRepository, gitRepositoryRef, interrupt, kustomization, kustomizationRef, sluice, sluiceOnTty, spawnSluice, testApi } from "./cli_support.ts";

const ns = await freshNamespace("cli-manage");
const api = testApi();
const eventRef = { group: "", version: "v1", resource: "events", kind: "Event", namespaced: true };
const n = ["-n", ns];

function entry(namespace: string, name: string, group: string, kind: string) {
  return { id: `${namespace}_${name}_${group}_${kind}`, v: "v1" };
}

async function event(name: string, kind: string, object: string, type: string, reason: string, message: string, secondsAgo: number) {
  const at = new Date(Date.now() - secondsAgo * 1000).toISOString().replace(/\.\d+Z$/, "Z");
  await api.create(eventRef, {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name, namespace: ns },
    involvedObject: { kind, name: object, namespace: ns, apiVersion: kind === "Kustomization" ? "kustomize.toolkit.fluxcd.io/v1" : "source.toolkit.fluxcd.io/v1" },
    type,
    reason,
    message,
    firstTimestamp: at,
    lastTimestamp: at,
    count: 1,
    source: { component: "test" },
  });
}

before(async () => {
  await api.apply(gitRepository(ns, "repo"), { fieldManager: "test" });
  await api.apply({ ...kustomization(ns, "root"), metadata: { name: "root", namespace: ns, labels: { team: "a" }, annotations: { "reconcile.fluxcd.io/requestedAt": "x" } } }, { fieldManager: "test" });
  await api.apply(kustomization(ns, "child"), { fieldManager: "test" });
  await api.mergePatch(kustomizationRef, ns, "root", {
    status: {
      inventory: {
        entries: [
          entry("", ns, "", "Namespace"),
          entry(ns, "child", "kustomize.toolkit.fluxcd.io", "Kustomization"),
          entry(ns, "web", "apps", "Deployment"),
          entry(ns, "gone", "kustomize.toolkit.fluxcd.io", "Kustomization"),
        ],
      },
    },
  }, "status");
  await api.mergePatch(kustomizationRef, ns, "child", { status: { inventory: { entries: [entry(ns, "cfg", "", "ConfigMap"), entry("", "system:web", "rbac.authorization.k8s.io", "ClusterRole")] } } }, "status");
  await event("e1", "Kustomization", "root", "Normal", "ReconciliationSucceeded", "Applied revision: main@sha1:1111111111111111111111111111111111111111", 300);
  await event("e2", "GitRepository", "repo", "Warning", "GitOperationFailed", "failed to checkout", 120);
  await event("e3", "Kustomization", "root", "Warning", "BuildFailed", "kustomize build failed", 10);
  await event("e4", "Kustomization", "other", "Normal", "Progressing", "unrelated", 5);
});

after(() => api.client.close());

test("tree draws the inventory and expands nested Kustomizations", async () => {
  const r = await sluice(["tree", "ks", "root", ...n]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.trimEnd().split("\n"), [
    `Kustomization/${ns}/root`,
    `├── Namespace/${ns}`,
    `├── Kustomization/${ns}/child`,
    `│   ├── ConfigMap/${ns}/cfg`,
    `│   └── ClusterRole/system:web`,
    `├── Deployment/${ns}/web`,
    `└── Kustomization/${ns}/gone (not found)`,
  ]);
  const compact = await sluice(["tree", "ks", "root", "--compact", "-o", "json", ...n]);
  const data = JSON.parse(compact.stdout);
  assert.deepEqual(data.resources.map((r: { resource: { name: string } }) => r.resource.name), ["child", "gone"]);
  const missing = await sluice(["tree", "ks", "nope", ...n]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /Kustomization "nope" not found/);
  const wrongKind = await sluice(["tree", "source", "git", "repo", ...n]);
  assert.match(wrongKind.stderr, /sluice tree does not work on GitRepository objects/);
});

test("events: for an object and its source, oldest first; --types filters", async () => {
  const r = await sluice(["events", "--for", "Kustomization/root", ...n]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split("\n");
  assert.match(lines[0], /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
  assert.equal(lines.length, 4);
  assert.match(lines[1], /^5m\d*s?\s+Normal\s+ReconciliationSucceeded\s+Kustomization\/root\s+Applied revision: main@sha1:1{40}$/);
  assert.match(lines[2], /^2m\d*s?\s+Warning\s+GitOperationFailed\s+GitRepository\/repo\s+failed to checkout$/);
  assert.match(lines[3], /^\d+s\s+Warning\s+BuildFailed\s+Kustomization\/root\s/);

  const warnings = await sluice(["events", "--for", "ks/root", "--types", "Warning", ...n]);
  assert.equal(warnings.stdout.trimEnd().split("\n").length, 3);

  const all = await sluice(["events", ...n]);
  assert.match(all.stdout, /Kustomization\/other/);

  const bad = await sluice(["events", "--for", "root", ...n]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /want <Kind>\/<name>, e.g. Kustomization\/podinfo/);
  const badType = await sluice(["events", "--types", "Error", ...n]);
  assert.match(badType.stderr, /event types are Normal and Warning/);
});

test("events -w prints new events as they are recorded", async () => {
  const child = spawnSluice(["events", "--for", "Kustomization/root", "-w", ...n]);
  const out = collect(child.stdout!);
  let code: number | null;
  try {
    await out.waitFor((all) => all.includes("BuildFailed"));
    await event("e5", "Kustomization", "root", "Normal", "ReconciliationSucceeded", "Applied revision: main@sha1:2222222", 0);
    await event("e6", "Kustomization", "other", "Normal", "Progressing", "not for root", 0);
    await out.waitFor((all) => all.includes("main@sha1:2222222"));
  } finally {
    code = await interrupt(child);
  }
  assert.equal(code, 0, "Ctrl-C ends a watch cleanly");
  assert.doesNotMatch(out.text(), /not for root/);
});

test("export prints clean YAML: no status, no server fields, no request annotations", async () => {
  const r = await sluice(["export", "ks", "root", ...n]);
  assert.equal(r.code, 0, r.stderr);
  const [doc] = parseAllDocuments(r.stdout).map((d) => d.toJS());
  assert.deepEqual(doc.metadata, { name: "root", namespace: ns, labels: { team: "a" } });
  assert.equal(doc.status, undefined);
  assert.equal(doc.spec.sourceRef.name, "repo");
  assert.ok(r.stdout.startsWith("---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n"));

  const all = await sluice(["export", "all", ...n]);
  const kinds = parseAllDocuments(all.stdout).map((d) => d.toJS().kind);
  assert.deepEqual(kinds, ["GitRepository", "Kustomization", "Kustomization"]);

  const noName = await sluice(["export", "ks", ...n]);
  assert.equal(noName.code, 1);
  assert.match(noName.stderr, /needs a name \(or --all/);
});

test("delete asks on a terminal, refuses without one, and --silent skips the question", async () => {
  await api.apply(gitRepository(ns, "doomed"), { fieldManager: "test" });
  const refused = await sluice(["delete", "source", "git", "doomed", ...n]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /stdin is not a terminal; pass --silent/);

  // On a terminal: anything but yes means no.
  const tty = await sluiceOnTty(["delete", "source", "git", "doomed", ...n], cliEnv(), "n\n");
  assert.equal(tty.code, 0, tty.stdout);
  assert.match(tty.stdout, /Are you sure you want to delete GitRepository \S+\/doomed\? \[y\/N\]/);
  assert.match(tty.stdout, /nothing deleted/);
  assert.ok(await api.find(gitRepositoryRef, ns, "doomed"));

  const r = await sluice(["delete", "source", "git", "doomed", "--silent", ...n]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /► deleting GitRepository doomed in \S+ namespace\n✔ GitRepository deleted\n/);
  assert.equal(await api.find(gitRepositoryRef, ns, "doomed"), undefined);

  const again = await sluice(["delete", "source", "git", "doomed", "--silent", ...n]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /GitRepository "doomed" not found/);
});

test("create --export prints the object; bad flags are refused with the field at fault", async () => {
  const git = await sluice(["create", "source", "git", "podinfo", "--url", "https://github.com/stefanprodan/podinfo", "--tag-semver", ">=6.0.0", "--ignore-paths", "/*,!/kustomize", "--export", ...n]);
  assert.equal(git.code, 0, git.stderr);
  assert.equal(
    git.stdout,
    `---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: podinfo\n  namespace: ${ns}\nspec:\n  interval: 1m\n  url: https://github.com/stefanprodan/podinfo\n  ref:\n    semver: ">=6.0.0"\n  ignore: |\n    /*\n    !/kustomize\n`,
  );
  const ks = await sluice(["create", "ks", "podinfo", "--source", "OCIRepository/podinfo.flux-system", "--path", "./deploy", "--prune", "--wait", "--depends-on", "infra", "--health-check", "Deployment/web.apps", "--export", ...n]);
  assert.equal(ks.code, 0, ks.stderr);
  const obj = parseAllDocuments(ks.stdout)[0].toJS();
  assert.deepEqual(obj.spec.sourceRef, { kind: "OCIRepository", name: "podinfo", namespace: "flux-system" });
  assert.deepEqual(obj.spec.dependsOn, [{ name: "infra" }]);
  assert.deepEqual(obj.spec.healthChecks, [{ apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: "apps" }]);

  const cases: Array<[string[], RegExp]> = [
    [["create", "source", "git", "x", "--url", "https://x", "--branch", "main", "--interval", "5x"], /'--interval <duration>' argument '5x' is invalid. invalid duration "5x"/],
    [["create", "source", "git", "x", "--url", "git@github.com:org/repo", "--branch", "main"], /want an http:\/\/, https:\/\/ or ssh:\/\/ address/],
    [["create", "source", "git", "x", "--url", "https://x"], /a Git ref is required: use --branch, --tag, --tag-semver, --commit or --ref-name/],
    [["create", "source", "git", "Bad_Name", "--url", "https://x", "--branch", "main"], /"Bad_Name" is not a valid object name/],
    [["create", "ks", "x", "--source", "HelmRepository/x"], /source kind "HelmRepository" is not one of/],
    [["create", "ks", "x", "--source", "x", "--path", "deploy"], /the path must begin with \.\//],
    [["create", "ks", "x"], /required option '--source/],
    [["create", "source", "svn", "x"], /unknown command 'svn'/],
  ];
  await expectOneLineErrors(cases, n);

  const noNamespace = await sluice(["create", "source", "git", "x", "--url", "https://x", "--branch", "main", "-n", "no-such-namespace-here"]);
  assert.equal(noNamespace.code, 1);
  assert.match(noNamespace.stderr, /namespace "no-such-namespace-here" does not exist: create it first or pick another with -n/);
});
