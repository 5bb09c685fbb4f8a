import assert from "node:assert/strict";
import { test } from "node:test";
import type { Kustomization } from "../api/kustomize/kustomization.ts";
import type { KubeObject } from "../api/meta.ts";
import type { Informer } from "../runtime/cache/informer.ts";
import { configRefKeys } from "./config_refs.ts";
import { byConfigRef, configDigestTransform, configWatches } from "./config_watches.ts";

const ks = (name: string, spec: Partial<Kustomization["spec"]>): Kustomization =>
  ({ apiVersion: "kustomize.toolkit.fluxcd.io/v1", kind: "Kustomization", metadata: { name, namespace: "apps" }, spec: { interval: "1h", prune: true, sourceRef: { kind: "GitRepository", name: "repo" }, ...spec } }) as Kustomization;

const all = [
  ks("vars", { postBuild: { substituteFrom: [{ kind: "ConfigMap", name: "vars" }, { kind: "Secret", name: "creds", optional: true }] } }),
  ks("sops", { decryption: { provider: "sops", secretRef: { name: "sops-keys" } }, postBuild: { substituteFrom: [{ kind: "Secret", name: "creds" }] } }),
  ks("remote", { kubeConfig: { secretRef: { name: "kubeconfig" } } }),
  ks("plain", {}),
];

/** The primary informer's index, as the controller keeps it. */
const primary = {
  byIndex: (name: string, value: string) => (name === byConfigRef ? all.filter((k) => configRefKeys(k).includes(value)) : []),
} as unknown as Informer<KubeObject>;

const cm = (name: string, rv: string, data: Record<string, string>, labels?: Record<string, string>): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: "apps", resourceVersion: rv, ...(labels ? { labels } : {}) },
  data,
});
const secret = (name: string, rv: string, data: Record<string, string>, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name, namespace: "apps", resourceVersion: rv, ...(annotations ? { annotations } : {}) },
  data,
});

test("indexes substituteFrom, decryption and kubeConfig references once each", () => {
  assert.deepEqual(configRefKeys(all[0]), ["ConfigMap/apps/vars", "Secret/apps/creds"]);
  assert.deepEqual(configRefKeys(all[1]), ["Secret/apps/creds", "Secret/apps/sops-keys"]);
  assert.deepEqual(configRefKeys(all[2]), ["Secret/apps/kubeconfig"]);
  assert.deepEqual(configRefKeys(ks("cm-kubeconfig", { kubeConfig: { configMapRef: { name: "cluster" } } })), ["ConfigMap/apps/cluster"]);
  assert.deepEqual(configRefKeys(all[3]), []);
});

test("a data change, creation or deletion queues exactly the referencing Kustomizations; metadata alone does not", () => {
  const [secrets, configMaps] = configWatches();
  assert.equal(secrets.ref.resource, "secrets");
  assert.equal(secrets.transform, undefined, "shares the plain Secret informer of the source controller");
  assert.equal(configMaps.ref.resource, "configmaps");
  const slim = (o: KubeObject) => configDigestTransform.fn(o);

  assert.deepEqual(configMaps.map({ type: "add", object: slim(cm("vars", "1", { a: "1" })) }, primary), ["apps/vars"]);
  assert.deepEqual(configMaps.map({ type: "update", old: slim(cm("vars", "1", { a: "1" })), object: slim(cm("vars", "2", { a: "2" })) }, primary), ["apps/vars"]);
  assert.deepEqual(configMaps.map({ type: "update", old: slim(cm("vars", "1", { a: "1" })), object: slim(cm("vars", "2", { a: "1" }, { team: "x" })) }, primary), []);
  assert.deepEqual(configMaps.map({ type: "delete", object: slim(cm("vars", "3", { a: "1" })) }, primary), ["apps/vars"]);
  assert.deepEqual(configMaps.map({ type: "add", object: slim(cm("unrelated", "1", { a: "1" })) }, primary), []);
  // A Secret and a ConfigMap of the same name are different references.
  assert.deepEqual(secrets.map({ type: "add", object: secret("vars", "1", {}) }, primary), []);

  assert.deepEqual(secrets.map({ type: "update", old: secret("creds", "1", { p: "YQ==" }), object: secret("creds", "2", { p: "Yg==" }) }, primary).sort(), ["apps/sops", "apps/vars"]);
  assert.deepEqual(secrets.map({ type: "update", old: secret("creds", "1", { p: "YQ==" }), object: secret("creds", "2", { p: "YQ==" }, { note: "x" }) }, primary), []);
  assert.deepEqual(secrets.map({ type: "update", old: secret("sops-keys", "1", {}), object: secret("sops-keys", "2", { "age.agekey": "QUdF" }) }, primary), ["apps/sops"]);
  assert.deepEqual(secrets.map({ type: "delete", object: secret("kubeconfig", "2", {}) }, primary), ["apps/remote"]);
});

test("the ConfigMap cache keeps identity and a digest, not the data", () => {
  const big = cm("vars", "7", { blob: "x".repeat(100_000) });
  const slim = configDigestTransform.fn(big);
  assert.deepEqual(Object.keys(slim).sort(), ["apiVersion", "dataDigest", "kind", "metadata"]);
  assert.deepEqual(slim.metadata, { name: "vars", namespace: "apps", uid: undefined, resourceVersion: "7" });
  assert.ok(JSON.stringify(slim).length < 300);
  assert.notEqual(configDigestTransform.fn(cm("vars", "8", { blob: "y" })).dataDigest, slim.dataDigest);
  const binary = { ...cm("vars", "9", { blob: "y" }), binaryData: { b: "AA==" } };
  assert.notEqual(configDigestTransform.fn(binary).dataDigest, configDigestTransform.fn(cm("vars", "8", { blob: "y" })).dataDigest);
});

test("with --sops-age-secret, every Kustomization with spec.decryption is indexed under that Secret too", () => {
  const fallback = { namespace: "flux-system", name: "sops-age" };
  assert.deepEqual(configRefKeys(all[1], fallback), ["Secret/apps/creds", "Secret/apps/sops-keys", "Secret/flux-system/sops-age"]);
  assert.deepEqual(configRefKeys(ks("no-ref", { decryption: { provider: "sops" } }), fallback), ["Secret/flux-system/sops-age"]);
  assert.deepEqual(configRefKeys(all[0], fallback), ["ConfigMap/apps/vars", "Secret/apps/creds"]);
});
