/**
 * install, check, version and uninstall against the test cluster. The CRDs are shared by every test,
 * so they are only dry-run here: the real install is of config/ without its CRDs (--manifests), into
 * a namespace of its own.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { parseAllDocuments } from "yaml";
import { freshNamespace } from "../support/cluster.ts";
import { sluice, testApi } from "./cli_support.ts";

const ns = await freshNamespace("cli-install");
const api = testApi();
const deployments = { group: "apps", version: "v1", resource: "deployments", kind: "Deployment", namespaced: true };
const config = join(import.meta.dirname, "..", "..", "config");
const withoutCrds = await mkdtemp(join(tmpdir(), "sluice-manifests-"));
await writeFile(
  join(withoutCrds, "kustomization.yaml"),
  `namespace: flux-system\nresources:\n${["namespace.yaml", "rbac", "manager"].map((r) => `  - ${join(config, r)}\n`).join("")}`,
);
after(() => rm(withoutCrds, { recursive: true, force: true }));
const crdRef = { group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions", kind: "CustomResourceDefinition", namespaced: false };
const clusterRoles = { group: "rbac.authorization.k8s.io", version: "v1", resource: "clusterroles", kind: "ClusterRole", namespaced: false };

test("install --export prints the manifests, CRDs first, in the chosen namespace", async () => {
  const r = await sluice(["install", "--export", "-n", ns]);
  assert.equal(r.code, 0, r.stderr);
  const docs = parseAllDocuments(r.stdout).map((d) => d.toJS());
  assert.equal(docs[0].kind, "CustomResourceDefinition");
  assert.ok(docs.some((d) => d.kind === "Namespace" && d.metadata.name === ns));
  for (const d of docs.filter((d) => d.kind === "Deployment")) assert.equal(d.metadata.namespace, ns);
});

test("install --dry-run has the server check every object and changes nothing", async () => {
  const r = await sluice(["install", "--dry-run", "-n", ns]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /✔ \d+ CustomResourceDefinitions applied/);
  assert.match(r.stderr, /✔ dry run finished: the server accepted every object/);
  assert.equal((await api.list(deployments, ns)).items.length, 0);
});

test("check --pre checks the Kubernetes version", async () => {
  const r = await sluice(["check", "--pre"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /✔ Kubernetes \d+\.\d+\.\d+ >=1\.32\.0\n✔ all checks passed/);
});

test("install waits for the controllers; check and version see them; uninstall removes them", async () => {
  const install = await sluice(["install", "--manifests", withoutCrds, "-n", ns, "--timeout", "3m"], { timeoutMs: 200_000 });
  assert.equal(install.code, 0, install.stderr);
  assert.match(install.stderr, /✔ source-controller: deployment ready/);
  assert.match(install.stderr, /✔ kustomize-controller: deployment ready/);
  assert.match(install.stderr, /✔ install finished\n$/);

  // Which CRDs the test cluster has is not this test's choice: check passes or names the missing ones.
  const check = await sluice(["check", "-n", ns]);
  assert.match(check.stderr, /✔ source-controller: deployment ready \(\S+sluice:\S+\)/);
  assert.match(check.stderr, /✔ gitrepositories\.source\.toolkit\.fluxcd\.io\/v1\n/);
  if (check.code === 0) assert.match(check.stderr, /✔ all checks passed\n$/);
  else assert.match(check.stderr, /✗ \S+ is not installed: run `sluice install`\n[^]*✗ check failed: see the ✗ lines above\n$/);

  const version = await sluice(["version", "-n", ns, "-o", "json"]);
  assert.equal(version.code, 0, version.stderr);
  const v = JSON.parse(version.stdout);
  assert.equal(v.sluice, "v0.1.0");
  assert.match(v.kubernetes, /^v1\.\d+/);
  assert.match(v["source-controller"], /sluice:/);

  const uninstall = await sluice(["uninstall", "--manifests", withoutCrds, "-n", ns, "--silent"]);
  assert.equal(uninstall.code, 0, uninstall.stderr);
  assert.match(uninstall.stderr, new RegExp(`✔ Deployment/${ns}/source-controller deleted`));
  assert.match(uninstall.stderr, /the CRDs, your Flux objects and namespace \S+ stay \(use --crds to remove them\)/);
  assert.equal((await api.list(deployments, ns)).items.length, 0);
  assert.equal(await api.find(clusterRoles, undefined, "sluice-source-controller"), undefined);
  assert.ok(await api.find(crdRef, undefined, "gitrepositories.source.toolkit.fluxcd.io"));
});

test("uninstall --crds: the dry run removes nothing, the real one removes the CRDs, --keep-namespace keeps the namespace", async () => {
  // A CRD of the test's own stands in for Sluice's, which every other test needs.
  const group = `${ns}.test.sluice.dev`;
  const crd = {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `gadgets.${group}` },
    spec: {
      group,
      scope: "Namespaced",
      names: { plural: "gadgets", singular: "gadget", kind: "Gadget", listKind: "GadgetList" },
      versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } } }],
    },
  };
  const dir = await mkdtemp(join(tmpdir(), "sluice-manifests-"));
  after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, "crd.yaml"), JSON.stringify(crd));
  await writeFile(join(dir, "kustomization.yaml"), `resources:\n  - crd.yaml\n  - ${join(config, "namespace.yaml")}\n`);
  await api.apply(crd as never, { fieldManager: "test" });

  const dry = await sluice(["uninstall", "--crds", "--dry-run", "--manifests", dir, "-n", ns]);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stderr, new RegExp(`✔ CustomResourceDefinition/gadgets\\.${ns}\\.test\\.sluice\\.dev deleted \\(dry run\\)`));
  assert.match(dry.stderr, new RegExp(`✔ Namespace/${ns} deleted \\(dry run\\)`));
  const still = await api.find(crdRef, undefined, `gadgets.${group}`);
  assert.ok(still && !still.metadata.deletionTimestamp, "a dry run deletes nothing");

  const real = await sluice(["uninstall", "--crds", "--silent", "--keep-namespace", "--manifests", dir, "-n", ns]);
  assert.equal(real.code, 0, real.stderr);
  assert.match(real.stderr, /✔ uninstall finished\n$/);
  const gone = await api.find(crdRef, undefined, `gadgets.${group}`);
  assert.ok(!gone || gone.metadata.deletionTimestamp);
  assert.doesNotMatch(real.stderr, /Namespace\//, "--keep-namespace");
});

test("uninstall asks first; without a terminal it needs --silent", async () => {
  const r = await sluice(["uninstall", "-n", ns]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /✗ cannot ask "Are you sure you want to delete the Sluice controllers from the cluster\?": stdin is not a terminal; pass --silent/);
});

test("version --client needs no cluster", async () => {
  const r = await sluice(["version", "--client"], { env: { ...process.env, KUBECONFIG: "/nonexistent" } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "sluice: v0.1.0\n");
});
