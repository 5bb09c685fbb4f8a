import assert from "node:assert/strict";
import { test } from "node:test";
import { traceTargets } from "./trace_command.ts";
import { parseApiVersionFlag, traceKind } from "./trace_kinds.ts";

test("known kinds need no --api-version; kubectl's and flux's names are accepted", () => {
  assert.deepEqual(traceKind("deploy", undefined), { kind: "Deployment", apiVersion: "apps/v1" });
  assert.deepEqual(traceKind("ConfigMap", undefined), { kind: "ConfigMap", apiVersion: "v1" });
  assert.deepEqual(traceKind("ks", undefined), { kind: "Kustomization", apiVersion: "kustomize.toolkit.fluxcd.io/v1" });
  assert.deepEqual(traceKind("hr", undefined), { kind: "HelmRelease", apiVersion: "helm.toolkit.fluxcd.io/v2" });
  assert.deepEqual(traceKind("deployment", "apps/v1beta2"), { kind: "Deployment", apiVersion: "apps/v1beta2" });
  assert.deepEqual(traceKind("Redis", "cache.example.com/v1"), { kind: "Redis", apiVersion: "cache.example.com/v1" });
  assert.throws(() => traceKind("Redis", undefined), /kind "Redis" needs --api-version/);
});

test("objects: name with --kind, kind/name, or a kind then names", () => {
  assert.deepEqual(traceTargets(["web"], { kind: "Deployment", apiVersion: "apps/v1" }), [{ kind: "Deployment", apiVersion: "apps/v1", name: "web" }]);
  assert.deepEqual(traceTargets(["deploy/web", "cm/settings"], {}), [
    { kind: "Deployment", apiVersion: "apps/v1", name: "web" },
    { kind: "ConfigMap", apiVersion: "v1", name: "settings" },
  ]);
  assert.deepEqual(traceTargets(["svc", "a", "b"], {}).map((t) => `${t.kind}/${t.name}`), ["Service/a", "Service/b"]);
  assert.throws(() => traceTargets(["web"], {}), /say which kind web is/);
  assert.throws(() => traceTargets(["deploy/web"], { kind: "Deployment" }), /with --kind give plain names/);
  assert.throws(() => traceTargets(["a/b/c"], {}), /want kind\/name/);
});

test("--api-version is group/version or version", () => {
  assert.equal(parseApiVersionFlag("v1"), "v1");
  assert.equal(parseApiVersionFlag("apps/v1"), "apps/v1");
  assert.equal(parseApiVersionFlag("helm.toolkit.fluxcd.io/v2beta2"), "helm.toolkit.fluxcd.io/v2beta2");
  assert.throws(() => parseApiVersionFlag("apps"), /want group\/version/);
  assert.throws(() => parseApiVersionFlag("Apps/v1"), /want group\/version/);
});
