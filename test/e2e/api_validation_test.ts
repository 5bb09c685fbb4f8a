import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { allKinds } from "../../src/api/kinds.ts";
import type { KubeObject } from "../../src/api/meta.ts";
import { ApiError } from "../../src/runtime/kube/api_error.ts";
import { KubeClient } from "../../src/runtime/kube/client.ts";
import { fromKubeconfigFile } from "../../src/runtime/kube/kubeconfig.ts";
import { ObjectApi } from "../../src/runtime/kube/objects.ts";
import type { ResourceRef } from "../../src/runtime/kube/resource_ref.ts";
import { kindExamples } from "../support/kind_examples.ts";
import { testKubeconfigPath } from "../support/test_manager.ts";

const namespace = `api-validation-${Date.now().toString(36)}`;
const nsRef: ResourceRef = { group: "", version: "v1", resource: "namespaces", kind: "Namespace", namespaced: false };
let api: ObjectApi;

function refOf(kind: string): ResourceRef {
  const def = allKinds.find((k) => k.kind === kind)!;
  return { group: def.group, version: def.version, resource: def.plural, kind, namespaced: true };
}

function object(kind: string, name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: kindExamples[kind].apiVersion, kind, metadata: { name, namespace }, spec };
}

/** Every field we sent is read back with the same value (the server may add defaults). */
function assertContains(actual: unknown, expected: unknown, path: string): void {
  if (expected && typeof expected === "object" && !Array.isArray(expected)) {
    for (const [k, v] of Object.entries(expected)) assertContains((actual as Record<string, unknown>)?.[k], v, `${path}.${k}`);
    return;
  }
  assert.deepEqual(actual, expected, path);
}

async function rejection(kind: string, spec: Record<string, unknown>): Promise<ApiError> {
  try {
    await api.create(refOf(kind), object(kind, `bad-${Math.random().toString(36).slice(2, 8)}`, spec));
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected an API error, got ${err}`);
    return err;
  }
  assert.fail(`the API server accepted an invalid ${kind}`);
}

describe("the API server validates every kind with our CRDs", () => {
  before(async () => {
    api = new ObjectApi(new KubeClient(fromKubeconfigFile(testKubeconfigPath()), { qps: 0 }));
    await api.create(nsRef, { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
  });
  after(async () => {
    await api.delete(nsRef, undefined, namespace);
    await api.client.close();
  });

  test("a valid example of every kind is accepted and reads back unchanged", async () => {
    assert.deepEqual(Object.keys(kindExamples).sort(), allKinds.map((k) => k.kind).sort(), "an example per kind");
    for (const kind of Object.keys(kindExamples)) {
      const name = `example-${kind.toLowerCase()}`;
      await api.create(refOf(kind), object(kind, name, kindExamples[kind].spec));
      const back = await api.get<KubeObject>(refOf(kind), namespace, name);
      assertContains(back.spec, kindExamples[kind].spec, `${kind}.spec`);
    }
  });

  test("defaults are filled in by the API server", async () => {
    const back = await api.get<{ spec: { timeout?: string } }>(refOf("GitRepository"), namespace, "example-gitrepository");
    assert.equal(back.spec.timeout, "60s");
  });

  test("an interval of 5x is refused", async () => {
    const err = await rejection("GitRepository", { url: "https://example.com/r.git", interval: "5x" });
    assert.equal(err.code, 422);
    assert.match(err.message, /spec\.interval/);
  });

  test("an unknown enum value is refused", async () => {
    const err = await rejection("GitRepository", { url: "https://example.com/r.git", interval: "1m", provider: "gitea" });
    assert.match(err.message, /spec\.provider: Unsupported value: "gitea"/);
  });

  test("a missing required url is refused", async () => {
    const err = await rejection("GitRepository", { interval: "1m" });
    assert.match(err.message, /spec\.url: Required value/);
  });

  test("a value of the wrong type is refused", async () => {
    const err = await rejection("Kustomization", { ...kindExamples.Kustomization.spec, prune: "yes" });
    assert.match(err.message, /spec\.prune/);
    assert.match(err.message, /boolean/);
  });

  test("two mutually exclusive fields are refused with the rule's message", async () => {
    const spec = { ...kindExamples.HelmRelease.spec, chartRef: { kind: "OCIRepository", name: "podinfo" } };
    const err = await rejection("HelmRelease", spec);
    assert.equal(err.code, 422);
    assert.match(err.message, /chart|chartRef/);
  });

  test("a URL with the wrong scheme is refused", async () => {
    const err = await rejection("GitRepository", { url: "git@github.com:org/repo.git", interval: "1m" });
    assert.match(err.message, /spec\.url/);
  });
});
