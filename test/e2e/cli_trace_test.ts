/**
 * `sluice trace`: from any object to the Kustomization or HelmRelease that applied it, its source,
 * and up the chain of Kustomizations, against the real source and kustomize controllers.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { KubeObject } from "../../src/api/meta.ts";
import { helmReleaseKind } from "../../src/api/helm/helm_release.ts";
import { helmChartKind } from "../../src/api/source/helm_chart.ts";
import { helmRepositoryKind } from "../../src/api/source/helm_repository.ts";
import { refOfKind } from "../../src/runtime/kube/resource_ref.ts";
import { freshNamespace } from "../support/cluster.ts";
import { expectOneLineErrors, type Fleet, gitRepository, gitRepositoryRef, kustomization, sluice, startFleet, testApi } from "./cli_support.ts";
import { waitForReady } from "./cli_wait.ts";
import { configMap } from "./kustomize_support.ts";

const api = testApi();
const ns = await freshNamespace("cli-trace");
let fleet: Fleet;
let revision: string;

const configMapRef = { group: "", version: "v1", resource: "configmaps", kind: "ConfigMap", namespaced: true };

before(async () => {
  fleet = await startFleet(ns);
  // parent applies ./parent: the Kustomization "child", which applies ./apps: the ConfigMap "settings".
  const child = [
    "apiVersion: kustomize.toolkit.fluxcd.io/v1",
    "kind: Kustomization",
    "metadata:",
    "  name: child",
    `  namespace: ${ns}`,
    "spec:",
    "  interval: 10m",
    "  path: ./apps",
    "  prune: true",
    `  targetNamespace: ${ns}`,
    "  sourceRef:",
    "    kind: GitRepository",
    "    name: repo",
    "",
  ].join("\n");
  const sha = await fleet.repo.commit({ "apps/settings.yaml": configMap("settings"), "parent/child.yaml": child }, "child");
  revision = `main@sha1:${sha}`;
  await api.apply(gitRepository(ns, "repo", { url: fleet.server.url("fleet") }), { fieldManager: "test" });
  await api.apply(kustomization(ns, "parent", { path: "./parent" }), { fieldManager: "test" });
  await waitForReady(api, "Kustomization", ns, "parent", 60_000);
  await waitForReady(api, "Kustomization", ns, "child", 60_000);
});

after(async () => {
  await fleet.stop();
  await api.client.close();
});

/** The value printed after `Label:` in each line, in order. */
function lines(out: string): Array<[string, string]> {
  return out
    .trimEnd()
    .split("\n")
    .map((l) => {
      if (l === "---") return ["---", ""];
      const m = /^([A-Za-z ]+):\s+(.*)$/.exec(l);
      assert.ok(m, `not a Label: value line: ${JSON.stringify(l)}`);
      return [m[1], m[2]];
    });
}

test("trace a ConfigMap: its Kustomization and source, then the Kustomization that applied that one", async () => {
  const r = await sluice(["trace", "settings", "--kind=ConfigMap", "--api-version=v1", "-n", ns]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "");
  const source = await api.get(gitRepositoryRef, ns, "repo");
  const fetched = (source.status as { artifact: { revision: string } }).artifact.revision;
  assert.equal(fetched, revision);
  const got = lines(r.stdout).filter(([label]) => !["Status", "Message"].includes(label));
  assert.deepEqual(got, [
    ["Object", "ConfigMap/settings"],
    ["Namespace", ns],
    ["---", ""],
    ["Kustomization", "child"],
    ["Namespace", ns],
    ["Target", ns],
    ["Path", "./apps"],
    ["Source", `GitRepository/${ns}/repo`],
    ["Revision", revision],
    ["---", ""],
    ["GitRepository", "repo"],
    ["Namespace", ns],
    ["URL", fleet.server.url("fleet")],
    ["Branch", "main"],
    ["Revision", revision],
    ["---", ""],
    ["Kustomization", "parent"],
    ["Namespace", ns],
    ["Path", "./parent"],
    ["Source", `GitRepository/${ns}/repo`],
    ["Revision", revision],
  ]);
  assert.match(r.stdout, /^Object: +ConfigMap\/settings\nNamespace: +\S+\nStatus: +Managed by Sluice\n---\n/);
  assert.match(r.stdout, new RegExp(`Status: +Last reconciled at \\S+\\nMessage: +Applied revision: ${revision}\\n`));
  assert.match(r.stdout, new RegExp(`Message: +stored artifact for revision '${revision}'\\n`));
  // Labels line up in one column.
  const columns = new Set(r.stdout.split("\n").filter((l) => l && l !== "---").map((l) => /^\S+(?: \S+)?:\s+/.exec(l)![0].length));
  assert.equal(columns.size, 1);

  const short = await sluice(["trace", "cm/settings", "-n", ns]);
  assert.equal(short.code, 0, short.stderr);
  assert.equal(short.stdout, r.stdout, "kind/name and --kind give the same report");
});

test("trace an object a HelmRelease manages: the release, its HelmChart and the chart's repository", async () => {
  const hrRef = refOfKind(helmReleaseKind);
  await api.apply(
    {
      apiVersion: "source.toolkit.fluxcd.io/v1",
      kind: "HelmRepository",
      metadata: { name: "charts", namespace: ns },
      spec: { interval: "10m", url: "https://charts.example.com" },
    },
    { fieldManager: "test" },
  );
  await api.apply(
    {
      apiVersion: "source.toolkit.fluxcd.io/v1",
      kind: "HelmRepository",
      metadata: { name: "charts", namespace: ns },
      status: {
        conditions: [{ type: "Ready", status: "False", reason: "IndexationFailed", message: "failed to fetch index: 503", lastTransitionTime: "2025-01-02T03:04:05Z" }],
      },
    },
    { fieldManager: "test", force: true },
    "status",
  );
  await api.apply(
    {
      apiVersion: "source.toolkit.fluxcd.io/v1",
      kind: "HelmChart",
      metadata: { name: `${ns}-web`, namespace: ns },
      spec: { interval: "10m", chart: "podinfo", version: "6.x", sourceRef: { kind: "HelmRepository", name: "charts" } },
    },
    { fieldManager: "test" },
  );
  await api.apply(
    {
      apiVersion: "helm.toolkit.fluxcd.io/v2",
      kind: "HelmRelease",
      metadata: { name: "web", namespace: ns },
      spec: { interval: "10m", targetNamespace: ns, chart: { spec: { chart: "podinfo", version: "6.x", sourceRef: { kind: "HelmRepository", name: "charts" } } } },
    },
    { fieldManager: "test" },
  );
  await api.apply(
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "web-values", namespace: ns, labels: { "helm.toolkit.fluxcd.io/name": "web", "helm.toolkit.fluxcd.io/namespace": ns } },
      data: { a: "1" },
    },
    { fieldManager: "test" },
  );
  assert.ok(await api.get(hrRef, ns, "web"));
  assert.ok(await api.get(refOfKind(helmChartKind), ns, `${ns}-web`));
  assert.ok(await api.get(refOfKind(helmRepositoryKind), ns, "charts"));

  const r = await sluice(["trace", "configmap", "web-values", "-n", ns]);
  assert.equal(r.code, 0, r.stderr);
  const blocks = r.stdout.split("---\n");
  assert.equal(blocks.length, 4, r.stdout);
  assert.match(blocks[0], /^Object: +ConfigMap\/web-values\n/);
  assert.match(blocks[1], new RegExp(`^HelmRelease: +web\\nNamespace: +${ns}\\nTarget: +${ns}\\nSource: +HelmChart/${ns}/${ns}-web\\nRevision: *\\nStatus: +Unknown\\n$`));
  assert.match(blocks[2], new RegExp(`^HelmChart: +${ns}-web\\nNamespace: +${ns}\\nChart: +podinfo\\nVersion: +6\\.x\\nStatus: +Unknown\\n$`));
  assert.match(
    blocks[3],
    new RegExp(`^HelmRepository: +charts\\nNamespace: +${ns}\\nURL: +https://charts\\.example\\.com\\nStatus: +Last reconciliation failed at 2025-01-02T03:04:05Z\\nMessage: +failed to fetch index: 503\\n$`),
  );
});

test("a Kustomization named by the labels but gone is reported in the chain", async () => {
  const orphan: KubeObject = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "orphan", namespace: ns, labels: { "kustomize.toolkit.fluxcd.io/name": "gone", "kustomize.toolkit.fluxcd.io/namespace": ns } },
    data: { a: "1" },
  };
  await api.apply(orphan, { fieldManager: "test" });
  const r = await sluice(["trace", "cm/orphan", "-n", ns]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`---\\nKustomization: +gone\\nNamespace: +${ns}\\nStatus: +Not found; ConfigMap/orphan carries its labels\\n$`));
});

test("bad input: an object Sluice does not manage, a missing object, an unknown kind — one line each, exit 1", async () => {
  await api.apply({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "by-hand", namespace: ns }, data: {} }, { fieldManager: "test" });
  assert.ok(await api.get(configMapRef, ns, "by-hand"));
  const cases: Array<[string[], string]> = [
    [["trace", "by-hand", "--kind", "ConfigMap", "--api-version", "v1", "-n", ns], `✗ ConfigMap "by-hand" in namespace "${ns}" is not managed by Sluice: it has no kustomize.toolkit.fluxcd.io/name or helm.toolkit.fluxcd.io/name label`],
    [["trace", "nope", "--kind=Deployment", "--api-version=apps/v1", "-n", ns], `✗ Deployment "nope" not found in namespace "${ns}"`],
    [["trace", "x", "--kind=Widget", "-n", ns], `✗ kind "Widget" needs --api-version, e.g. --kind=Widget --api-version=example.com/v1`],
    [["trace", "x", "--kind=Widget", "--api-version=example.com/v1", "-n", ns], "✗ the cluster serves no kind Widget in example.com/v1: check --kind and --api-version"],
    [["trace", "x", "--kind=Deployment", "--api-version=apps/", "-n", ns], `✗ option '--api-version <version>' argument 'apps/' is invalid. want group/version or version, e.g. apps/v1 or v1, got "apps/"`],
    [["trace", "settings", "-n", ns], "✗ say which kind settings is: `sluice trace <name> --kind=Deployment --api-version=apps/v1`, or deployment/<name>"],
  ];
  await expectOneLineErrors(cases, []);
});
