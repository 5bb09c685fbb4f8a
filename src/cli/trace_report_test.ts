import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../api/meta.ts";
import { managedBy } from "./managed_by.ts";
import { applierBlock, formatTrace, missingBlock, objectBlock, sourceBlock } from "./trace_report.ts";

const ready = (status: string, message: string) => ({ conditions: [{ type: "Ready", status, reason: "R", message, lastTransitionTime: "2025-01-02T03:04:05Z" }] });

test("blocks line up in one column and are separated by ---", () => {
  const text = formatTrace([
    [["Object", "Deployment/web"], ["Status", "Managed by Sluice"]],
    [["OCIRepository", "app"], ["URL", "oci://r/app"]],
  ]);
  assert.equal(text, "Object:         Deployment/web\nStatus:         Managed by Sluice\n---\nOCIRepository:  app\nURL:            oci://r/app\n");
});

test("object block: namespace only for namespaced objects", () => {
  assert.deepEqual(objectBlock({ apiVersion: "v1", kind: "Namespace", metadata: { name: "apps" } }), [["Object", "Namespace/apps"], ["Status", "Managed by Sluice"]]);
});

test("applier block: Kustomization path, target, source, revision, then status from Ready", () => {
  const ks: KubeObject = {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    metadata: { name: "apps", namespace: "flux-system" },
    spec: { path: "./apps", targetNamespace: "web", suspend: true },
    status: { lastAppliedRevision: "main@sha1:abc", ...ready("False", "kustomize build failed") },
  };
  assert.deepEqual(applierBlock(ks, "GitRepository/flux-system/fleet"), [
    ["Kustomization", "apps"],
    ["Namespace", "flux-system"],
    ["Target", "web"],
    ["Path", "./apps"],
    ["Source", "GitRepository/flux-system/fleet"],
    ["Revision", "main@sha1:abc"],
    ["Suspended", "True"],
    ["Status", "Last reconciliation failed at 2025-01-02T03:04:05Z"],
    ["Message", "kustomize build failed"],
  ]);
});

test("source blocks: what each kind follows and where its artifact came from", () => {
  const oci: KubeObject = {
    apiVersion: "source.toolkit.fluxcd.io/v1",
    kind: "OCIRepository",
    metadata: { name: "app", namespace: "n" },
    spec: { url: "oci://ghcr.io/org/app", ref: { tag: "latest", digest: "sha256:00ff" } },
    status: { artifact: { revision: "latest@sha256:00ff", metadata: { "org.opencontainers.image.source": "https://github.com/org/app", "org.opencontainers.image.revision": "main@sha1:123" } }, ...ready("True", "stored") },
  };
  assert.deepEqual(sourceBlock(oci), [
    ["OCIRepository", "app"],
    ["Namespace", "n"],
    ["URL", "oci://ghcr.io/org/app"],
    ["Digest", "sha256:00ff"],
    ["Revision", "latest@sha256:00ff"],
    ["Origin Source", "https://github.com/org/app"],
    ["Origin Revision", "main@sha1:123"],
    ["Status", "Last reconciled at 2025-01-02T03:04:05Z"],
    ["Message", "stored"],
  ]);
  const bucket: KubeObject = { apiVersion: "source.toolkit.fluxcd.io/v1", kind: "Bucket", metadata: { name: "b", namespace: "n" }, spec: { endpoint: "minio:9000", bucketName: "manifests" } };
  assert.deepEqual(sourceBlock(bucket), [["Bucket", "b"], ["Namespace", "n"], ["Endpoint", "minio:9000"], ["Bucket", "manifests"], ["Status", "Unknown"]]);
  const git: KubeObject = { apiVersion: "source.toolkit.fluxcd.io/v1", kind: "GitRepository", metadata: { name: "g", namespace: "n" }, spec: { url: "https://x/g", ref: { branch: "main", commit: "abc1234" } } };
  assert.deepEqual(sourceBlock(git).slice(3), [["Branch", "main"], ["Commit", "abc1234"], ["Status", "Unknown"]]);
  assert.deepEqual(missingBlock("HelmChart", "n", "c", "Not found"), [["HelmChart", "c"], ["Namespace", "n"], ["Status", "Not found"]]);
});

test("managedBy: kustomize labels first, then helm; the namespace label defaults to the object's", () => {
  const obj = (labels: Record<string, string>, namespace?: string): KubeObject => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace, labels } });
  assert.deepEqual(managedBy(obj({ "kustomize.toolkit.fluxcd.io/name": "apps", "kustomize.toolkit.fluxcd.io/namespace": "flux-system" }, "web")), { kind: "Kustomization", name: "apps", namespace: "flux-system" });
  assert.deepEqual(managedBy(obj({ "helm.toolkit.fluxcd.io/name": "web" }, "web")), { kind: "HelmRelease", name: "web", namespace: "web" });
  assert.equal(managedBy(obj({ "helm.toolkit.fluxcd.io/name": "web" })), undefined, "cluster-scoped without a namespace label");
  assert.equal(managedBy(obj({ app: "web" }, "web")), undefined);
});
