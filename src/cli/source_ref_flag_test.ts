import assert from "node:assert/strict";
import { test } from "node:test";
import { parseDependency, parseHealthCheck, parseSourceFlag } from "./source_ref_flag.ts";

test("--source takes [Kind/]name[.namespace], Kind defaulting to GitRepository", () => {
  assert.deepEqual(parseSourceFlag("podinfo"), { kind: "GitRepository", name: "podinfo" });
  assert.deepEqual(parseSourceFlag("OCIRepository/podinfo.apps"), { kind: "OCIRepository", name: "podinfo", namespace: "apps" });
  assert.deepEqual(parseSourceFlag("bucket/b"), { kind: "Bucket", name: "b" });
  assert.throws(() => parseSourceFlag("HelmRepository/x"), /not one of OCIRepository, GitRepository, Bucket, ExternalArtifact/);
  assert.throws(() => parseSourceFlag("Git Repo"), /want \[Kind\/\]name\[\.namespace\]/);
});

test("--depends-on and --health-check", () => {
  assert.deepEqual(parseDependency("infra/db"), { name: "db", namespace: "infra" });
  assert.deepEqual(parseDependency("db"), { name: "db" });
  assert.deepEqual(parseHealthCheck("Deployment/web.apps"), { apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: "apps" });
  assert.throws(() => parseHealthCheck("Pod/web.apps"), /Kind one of Deployment/);
});
