import assert from "node:assert/strict";
import { test } from "node:test";
import type { Kustomization } from "../api/kustomize/kustomization.ts";
import { buildDigest, historyLimit, recordHistory } from "./history.ts";

const ks = (): Kustomization => ({ apiVersion: "kustomize.toolkit.fluxcd.io/v1", kind: "Kustomization", metadata: { name: "k", namespace: "n" }, spec: { interval: "1m", prune: true } } as Kustomization);
const at = (s: number) => new Date(Date.UTC(2026, 10, 25, 12, 0, s, 250));

test("the same build and outcome counts up and moves to the front; a new one is prepended", () => {
  const k = ks();
  recordHistory(k, { digest: "sha256:a", status: "ReconciliationSucceeded", revision: "main@sha1:1", startedAt: at(0), finishedAt: at(1) });
  recordHistory(k, { digest: "sha256:b", status: "HealthCheckFailed", revision: "main@sha1:2", originRevision: "o", startedAt: at(2), finishedAt: at(4) });
  recordHistory(k, { digest: "sha256:a", status: "ReconciliationSucceeded", revision: "main@sha1:1", startedAt: at(5), finishedAt: at(5) });
  const h = k.status!.history!;
  assert.deepEqual(h.map((s) => [s.digest, s.lastReconciledStatus, s.totalReconciliations]), [["sha256:a", "ReconciliationSucceeded", 2], ["sha256:b", "HealthCheckFailed", 1]]);
  assert.equal(h[0].firstReconciled, "2026-11-25T12:00:01Z");
  assert.equal(h[0].lastReconciled, "2026-11-25T12:00:05Z");
  assert.equal(h[0].lastReconciledDuration, "0s");
  assert.equal(h[1].lastReconciledDuration, "2s");
  assert.deepEqual(h[1].metadata, { revision: "main@sha1:2", originRevision: "o" });
});

test("the same build with another outcome is a snapshot of its own; at most five are kept", () => {
  const k = ks();
  for (let i = 0; i < 7; i++) recordHistory(k, { digest: "sha256:a", status: `S${i}`, revision: "r", startedAt: at(i), finishedAt: at(i) });
  assert.equal(k.status!.history!.length, historyLimit);
  assert.equal(k.status!.history![0].lastReconciledStatus, "S6");
});

test("the build digest depends on every object and their order", () => {
  const a = { kind: "A" };
  const b = { kind: "B" };
  assert.match(buildDigest([a, b]), /^sha256:[0-9a-f]{64}$/);
  assert.equal(buildDigest([a, b]), buildDigest([{ kind: "A" }, { kind: "B" }]));
  assert.notEqual(buildDigest([a, b]), buildDigest([b, a]));
});
