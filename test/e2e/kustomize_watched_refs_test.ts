/**
 * Referenced Secrets and ConfigMaps, on the real control plane: with spec.interval at 1h, a change
 * to the data of a substituteFrom ConfigMap or Secret, the deletion of an optional one, and a
 * decryption Secret gaining the right key each reconcile the Kustomization within seconds, without
 * the reconcile.fluxcd.io/watch label; an update of metadata alone reconciles nothing.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { stringify } from "yaml";
import type { Counter } from "prom-client";
import { ageKeyPair, pgpKeyPair, sopsEncrypt } from "../../src/kustomize/encrypt_sops.ts";
import type { ObjectApi } from "../../src/runtime/kube/objects.ts";
import { freshNamespace } from "../support/cluster.ts";
import {
  artifactServerForSuite, configMap, core, createGitRepository, eventually, ksRef, kustomization, readyOf, startKustomize, waitReady,
} from "./kustomize_support.ts";

const cmRef = core("configmaps", "ConfigMap");
const secretRef = core("secrets", "Secret");
/** The budget for a change to reach the applied object; the interval (1h) is far beyond it. */
const fast = 10_000;

async function reconciles(counter: Counter): Promise<number> {
  return (await counter.get()).values.filter((v) => v.labels.controller === "kustomization").reduce((n, v) => n + v.value, 0);
}

async function dataOf(api: ObjectApi, ns: string, name: string): Promise<Record<string, string>> {
  return (await api.get<{ data: Record<string, string> }>(cmRef, ns, name)).data;
}

describe("kustomize: watched Secrets and ConfigMaps", { concurrency: true }, () => {
  const server = artifactServerForSuite();

  it("substituteFrom: ConfigMap and Secret data changes and a deleted optional ConfigMap apply within seconds", async (t) => {
    const ns = await freshNamespace("ks-watch-vars", t);
    const { manager } = await startKustomize(ns, t);
    const api = manager.api;
    await api.create(cmRef, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "vars", namespace: ns }, data: { greeting: "hello" } });
    await api.create(cmRef, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "extra", namespace: ns }, data: { suffix: "-x" } });
    await api.create(secretRef, { apiVersion: "v1", kind: "Secret", metadata: { name: "creds", namespace: ns }, stringData: { password: "s3cret" } });
    const art = await server.publish({ "out.yaml": configMap("out", { greeting: "${greeting}", password: "${password}", suffix: "${suffix:=none}" }) });
    await createGitRepository(api, ns, "repo", art);
    await api.create(ksRef, kustomization(ns, "app", {
      interval: "1h",
      targetNamespace: ns,
      postBuild: {
        substituteFrom: [{ kind: "ConfigMap", name: "vars" }, { kind: "Secret", name: "creds" }, { kind: "ConfigMap", name: "extra", optional: true }],
      },
    }));
    await waitReady(api, ns, "app", { revision: art.revision });
    assert.deepEqual(await dataOf(api, ns, "out"), { greeting: "hello", password: "s3cret", suffix: "-x" });

    // Metadata alone (a label, an annotation) reconciles nothing.
    const before = await reconciles(manager.metrics.reconcileTotal);
    await api.mergePatch(cmRef, ns, "vars", { metadata: { labels: { team: "web" }, annotations: { note: "metadata only" } } });
    await api.mergePatch(secretRef, ns, "creds", { metadata: { labels: { team: "web" } } });
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(await reconciles(manager.metrics.reconcileTotal), before, "no reconcile for a metadata-only update");

    let started = Date.now();
    await api.mergePatch(cmRef, ns, "vars", { data: { greeting: "bonjour" } });
    await eventually("the ConfigMap's new value applied", async () => (await dataOf(api, ns, "out")).greeting === "bonjour", fast);
    t.diagnostic(`ConfigMap change applied in ${Date.now() - started} ms`);

    started = Date.now();
    await api.mergePatch(secretRef, ns, "creds", { stringData: { password: "n3w" } });
    await eventually("the Secret's new value applied", async () => (await dataOf(api, ns, "out")).password === "n3w", fast);
    t.diagnostic(`Secret change applied in ${Date.now() - started} ms`);

    started = Date.now();
    await api.delete(cmRef, ns, "extra");
    await eventually("the default in place of the deleted optional ConfigMap", async () => (await dataOf(api, ns, "out")).suffix === "none", fast);
    t.diagnostic(`optional ConfigMap deletion applied in ${Date.now() - started} ms`);

    // A required one deleted: BuildFailed at once, and back when it returns.
    await api.delete(cmRef, ns, "vars");
    const failed = await waitReady(api, ns, "app", { status: "False", reason: "BuildFailed" }, fast);
    assert.match(readyOf(failed)!.message, new RegExp(`spec.postBuild.substituteFrom\\[0\\]: ConfigMap '${ns}/vars': not found`));
    await api.create(cmRef, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "vars", namespace: ns }, data: { greeting: "hallo" } });
    await waitReady(api, ns, "app", {}, fast);
    assert.deepEqual(await dataOf(api, ns, "out"), { greeting: "hallo", password: "n3w", suffix: "none" });
  });

  it("decryption: a Secret that gains the right key turns the Kustomization Ready", async (t) => {
    const ns = await freshNamespace("ks-watch-sops", t);
    const { manager } = await startKustomize(ns, t);
    const api = manager.api;
    const wrong = await ageKeyPair();
    const right = await pgpKeyPair();
    const doc = await sopsEncrypt({ apiVersion: "v1", kind: "Secret", metadata: { name: "db" }, stringData: { password: "hunter2" } }, { pgp: [right.publicKey] });
    const art = await server.publish({ "secret.yaml": stringify(doc) });
    await createGitRepository(api, ns, "repo", art);
    await api.create(secretRef, { apiVersion: "v1", kind: "Secret", metadata: { name: "sops-keys", namespace: ns }, stringData: { "old.agekey": wrong.identity } });
    await api.create(ksRef, kustomization(ns, "app", { interval: "1h", targetNamespace: ns, decryption: { provider: "sops", secretRef: { name: "sops-keys" } } }));
    const failed = await waitReady(api, ns, "app", { status: "False", reason: "BuildFailed" });
    assert.match(
      readyOf(failed)!.message,
      new RegExp(`^decryption failed for 'Secret/db' \\(secret.yaml\\): failed to decrypt the sops data key: no key in Secret '${ns}/sops-keys' matches: it holds age key for ${wrong.recipient}; the document wants PGP key ${right.fingerprint}$`),
    );
    const started = Date.now();
    await api.mergePatch(secretRef, ns, "sops-keys", { stringData: { "sops.asc": right.privateKey } });
    await waitReady(api, ns, "app", { revision: art.revision }, fast);
    t.diagnostic(`Ready ${Date.now() - started} ms after the key was added`);
    const db = await api.get<{ data: Record<string, string> }>(secretRef, ns, "db");
    assert.equal(Buffer.from(db.data.password, "base64").toString(), "hunter2");
  });
});
