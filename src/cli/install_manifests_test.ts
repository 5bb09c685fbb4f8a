import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadInstallManifests } from "./install_manifests.ts";

test("config/ loads with CRDs and the Namespace first and everything namespaced in flux-system", () => {
  const objects = loadInstallManifests();
  assert.equal(objects[0].kind, "CustomResourceDefinition");
  const crds = objects.filter((o) => o.kind === "CustomResourceDefinition").length;
  assert.ok(crds >= 11);
  assert.ok(objects.some((o) => o.kind === "Deployment"));
  const firstOther = objects.findIndex((o) => !["CustomResourceDefinition", "Namespace", "ClusterRole"].includes(o.kind));
  assert.ok(objects.findIndex((o) => o.kind === "Namespace") < firstOther);
  for (const o of objects.filter((o) => ["Deployment", "ServiceAccount", "Service"].includes(o.kind))) assert.equal(o.metadata.namespace, "flux-system");
});

test("-n moves the install and the binding subjects to another namespace", () => {
  const objects = loadInstallManifests(undefined, "gitops");
  assert.equal(objects.find((o) => o.kind === "Namespace")!.metadata.name, "gitops");
  for (const b of objects.filter((o) => o.kind === "ClusterRoleBinding")) {
    for (const s of (b as { subjects?: Array<{ kind: string; namespace?: string }> }).subjects ?? []) {
      if (s.kind === "ServiceAccount") assert.equal(s.namespace, "gitops");
    }
  }
});

test("kustomize features it cannot build are refused by name", async () => {
  const dir = await mkdtemp(join(tmpdir(), "sluice-config-"));
  try {
    await writeFile(join(dir, "kustomization.yaml"), "resources: []\nimages:\n  - name: x\n");
    assert.throws(() => loadInstallManifests(dir), /uses images, which sluice install cannot build/);
  } finally {
    await rm(dir, { recursive: true });
  }
});
