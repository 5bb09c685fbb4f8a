/** `sluice stats`: per Flux kind, running, failing and suspended objects and the sources' artifact storage. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { KubeObject } from "../../src/api/meta.ts";
import { freshNamespace } from "../support/cluster.ts";
import { gitRepository, kustomization, sluice, testApi } from "./cli_support.ts";

const api = testApi();
const ns = await freshNamespace("cli-stats");
const other = await freshNamespace("cli-stats-b");

/** Writes a status as a controller would: Ready, and an artifact of `size` bytes for sources. */
async function withStatus(obj: KubeObject, ready: "True" | "False" | undefined, size?: number): Promise<void> {
  await api.apply(obj, { fieldManager: "test" });
  if (!ready && size === undefined) return;
  const status: Record<string, unknown> = {};
  if (ready) status.conditions = [{ type: "Ready", status: ready, reason: ready === "True" ? "Succeeded" : "Failed", message: "m", lastTransitionTime: "2025-01-02T03:04:05Z" }];
  if (size !== undefined) {
    status.artifact = { digest: "sha256:00", lastUpdateTime: "2025-01-02T03:04:05Z", path: "p", revision: "main@sha1:00", size, url: "http://x/p" };
  }
  await api.apply({ apiVersion: obj.apiVersion, kind: obj.kind, metadata: { name: obj.metadata.name, namespace: obj.metadata.namespace }, status }, { fieldManager: "test", force: true }, "status");
}

before(async () => {
  await withStatus(gitRepository(ns, "ok"), "True", 2048);
  await withStatus(gitRepository(ns, "broken"), "False", 100);
  await withStatus(gitRepository(ns, "paused", { suspend: true }), undefined);
  await withStatus(kustomization(ns, "failing"), "False");
  await withStatus(kustomization(ns, "new"), undefined);
  await withStatus(kustomization(ns, "paused", { suspend: true }), "True");
  await withStatus(
    { apiVersion: "source.toolkit.fluxcd.io/v1", kind: "HelmRepository", metadata: { name: "charts", namespace: other }, spec: { interval: "10m", url: "https://charts.example.com" } },
    "True",
    3 * 1024 * 1024,
  );
});

after(() => api.client.close());

function table(stdout: string): Map<string, string[]> {
  const [header, ...rows] = stdout.trimEnd().split("\n");
  assert.deepEqual(header.split(/ {2,}/), ["RECONCILERS", "RUNNING", "FAILING", "SUSPENDED", "STORAGE"]);
  return new Map(rows.map((r) => {
    const cells = r.split(/ {3,}/);
    return [cells[0], cells.slice(1)];
  }));
}

test("stats -n: counts of one namespace for every Flux kind, storage for sources", async () => {
  const r = await sluice(["stats", "-n", ns]);
  assert.equal(r.code, 0, r.stderr);
  const rows = table(r.stdout);
  assert.deepEqual([...rows.keys()], [
    "GitRepository",
    "OCIRepository",
    "HelmRepository",
    "HelmChart",
    "Bucket",
    "ExternalArtifact",
    "Kustomization",
    "HelmRelease",
    "Alert",
    "Provider",
    "Receiver",
  ]);
  assert.deepEqual(rows.get("GitRepository"), ["2", "1", "1", "2.1 KiB"]);
  assert.deepEqual(rows.get("Kustomization"), ["2", "1", "1", "-"]);
  assert.deepEqual(rows.get("HelmRepository"), ["0", "0", "0", "-"]);

  const b = table((await sluice(["stats", "--namespace", other])).stdout);
  assert.deepEqual(b.get("HelmRepository"), ["1", "0", "0", "3.0 MiB"]);
  assert.deepEqual(b.get("GitRepository"), ["0", "0", "0", "-"]);
});

test("stats -A adds up every namespace", async () => {
  const r = await sluice(["stats", "-A"]);
  assert.equal(r.code, 0, r.stderr);
  const rows = table(r.stdout);
  // The cluster is shared with other tests: at least this file's objects are counted.
  const [running, failing, suspended] = rows.get("GitRepository")!.map(Number);
  assert.ok(running >= 2 && failing >= 1 && suspended >= 1, r.stdout);
  assert.ok(Number(rows.get("HelmRepository")![0]) >= 1, r.stdout);
  assert.match(rows.get("HelmRepository")![3], /^\d+\.\d (KiB|MiB|GiB)$/);
});

test("bad input: one line and exit 1", async () => {
  const extra = await sluice(["stats", "ks"]);
  assert.equal(extra.code, 1);
  assert.match(extra.stderr, /^✗ too many arguments for 'stats'\. Expected 0 arguments but got 1\.\n/);
  const badNs = await sluice(["stats", "-n", "Not_A_Namespace"]);
  assert.equal(badNs.code, 1);
  assert.match(badNs.stderr, /^✗ option '-n, --namespace <namespace>' argument 'Not_A_Namespace' is invalid\. "Not_A_Namespace" is not a valid namespace name/);
  const noCluster = await sluice(["stats"], { env: { ...process.env, KUBECONFIG: "/nonexistent/kubeconfig", HOME: "/nonexistent" } });
  assert.equal(noCluster.code, 1);
  assert.equal(noCluster.stderr.split("\n").filter(Boolean).length, 1, noCluster.stderr);
  assert.doesNotMatch(noCluster.stderr, /\n\s+at /, "no stack trace");
});
