/**
 * `sluice debug kustomization`: the status as YAML (the default) and the final postBuild variables
 * in dotenv form, resolved by the controller's own code, with one-line errors for what is missing.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { parse } from "yaml";
import type { KubeObject } from "../../src/api/meta.ts";
import { freshNamespace } from "../support/cluster.ts";
import { kustomization, sluice, testApi } from "./cli_support.ts";

const api = testApi();
const ns = await freshNamespace("cli-debug");
const n = () => ["-n", ns];

const status = {
  observedGeneration: 1,
  lastAppliedRevision: "main@sha1:0123456789abcdef0123456789abcdef01234567",
  conditions: [{ type: "Ready", status: "True", reason: "ReconciliationSucceeded", message: "Applied revision: main@sha1:0123456", lastTransitionTime: "2026-01-01T00:00:00Z", observedGeneration: 1 }],
};

function object(apiVersion: string, kind: string, name: string, rest: Record<string, unknown>): KubeObject {
  return { apiVersion, kind, metadata: { name, namespace: ns }, ...rest } as KubeObject;
}

before(async () => {
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  await api.apply(object("v1", "ConfigMap", "common", { data: { CLUSTER: "dev", REGION: "eu", TIER: "base" } }), { fieldManager: "test" });
  await api.apply(object("v1", "ConfigMap", "overrides", { data: { TIER: "gold" } }), { fieldManager: "test" });
  await api.apply(object("v1", "Secret", "creds", { data: { TOKEN: b64("s3cret"), REGION: b64("us") } }), { fieldManager: "test" });
  const postBuild = {
    substitute: { APP: "podinfo", CLUSTER: "prod" },
    substituteFrom: [
      { kind: "ConfigMap", name: "common" },
      { kind: "Secret", name: "creds" },
      { kind: "ConfigMap", name: "overrides" },
      { kind: "ConfigMap", name: "absent", optional: true },
    ],
  };
  await api.apply(kustomization(ns, "apps", { postBuild }), { fieldManager: "test" });
  await api.apply({ ...kustomization(ns, "apps"), status }, { fieldManager: "test", force: true }, "status");
  await api.apply(kustomization(ns, "broken", { postBuild: { substituteFrom: [{ kind: "ConfigMap", name: "missing" }] } }), { fieldManager: "test" });
});

after(() => api.client.close());

test("debug kustomization prints the status as YAML, by default and with --show-status (alias ks)", async () => {
  for (const args of [["debug", "kustomization", "apps"], ["debug", "ks", "apps", "--show-status"]]) {
    const r = await sluice([...args, ...n()]);
    assert.equal(r.code, 0, r.stderr);
    const shown = parse(r.stdout) as typeof status;
    assert.equal(shown.lastAppliedRevision, status.lastAppliedRevision);
    assert.deepEqual(shown.conditions, status.conditions);
  }
});

test("debug ks --show-vars: substituteFrom in order (later wins, optional missing skipped), substitute over it, Secrets decoded, sorted", async () => {
  const r = await sluice(["debug", "ks", "apps", "--show-vars", ...n()]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "APP=podinfo\nCLUSTER=prod\nREGION=us\nTIER=gold\nTOKEN=s3cret\n");
});

test("debug ks: one-line errors for a missing Kustomization, a missing required ConfigMap, and both flags", async () => {
  const missing = await sluice(["debug", "ks", "nothere", ...n()]);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, `✗ Kustomization "nothere" not found in namespace "${ns}": list them with \`sluice get kustomizations -n ${ns}\`\n`);

  const noConfig = await sluice(["debug", "ks", "broken", "--show-vars", ...n()]);
  assert.equal(noConfig.code, 1);
  assert.equal(noConfig.stderr, `✗ Kustomization '${ns}/broken': spec.postBuild.substituteFrom[0]: ConfigMap '${ns}/missing': not found\n`);

  const both = await sluice(["debug", "ks", "apps", "--show-vars", "--show-status", ...n()]);
  assert.equal(both.code, 1);
  assert.equal(both.stderr, "✗ --show-status and --show-vars cannot be used together: pick one\n");
});
