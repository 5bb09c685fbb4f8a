/**
 * --sops-age-secret, on the real control plane: the age keys of that Secret in the runtime
 * namespace decrypt for every Kustomization with spec.decryption, with or without a
 * decryption.secretRef (whose keys come first). Without the Secret, a document that needs it is
 * BuildFailed naming the Secret and the flag; the Secret's creation makes the Kustomization Ready.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { stringify } from "yaml";
import { ageKeyPair, sopsEncrypt } from "../../src/kustomize/encrypt_sops.ts";
import type { ObjectApi } from "../../src/runtime/kube/objects.ts";
import { freshNamespace } from "../support/cluster.ts";
import { artifactServerForSuite, core, createGitRepository, kustomization, ksRef, readyOf, startKustomize, waitReady } from "./kustomize_support.ts";

const secretRef = core("secrets", "Secret");

async function keySecret(api: ObjectApi, ns: string, name: string, stringData: Record<string, string>): Promise<void> {
  await api.create(secretRef, { apiVersion: "v1", kind: "Secret", metadata: { name, namespace: ns }, stringData });
}

async function secretValue(api: ObjectApi, ns: string, name: string, key: string): Promise<string> {
  const s = await api.get<{ data: Record<string, string> }>(secretRef, ns, name);
  return Buffer.from(s.data[key], "base64").toString();
}

describe("kustomize: --sops-age-secret fallback keys", { concurrency: true }, () => {
  const server = artifactServerForSuite();

  it("no secretRef: BuildFailed naming the missing Secret and the flag, Ready once the Secret is created", async (t) => {
    const ns = await freshNamespace("ks-sops-fallback", t);
    const { manager } = await startKustomize(ns, t, { sopsAgeSecret: "sops-age", runtimeNamespace: ns });
    const api = manager.api;
    const age = await ageKeyPair();
    const doc = await sopsEncrypt({ apiVersion: "v1", kind: "Secret", metadata: { name: "db" }, stringData: { password: "hunter2" } }, age.recipient);
    const art = await server.publish({ "app/secret.yaml": stringify(doc) });
    await createGitRepository(api, ns, "repo", art);
    await api.create(ksRef, kustomization(ns, "app", { path: "./app", targetNamespace: ns, decryption: { provider: "sops" } }));

    const failed = await waitReady(api, ns, "app", { status: "False", reason: "BuildFailed" });
    assert.equal(
      readyOf(failed)!.message,
      `decryption failed for 'Secret/db' (app/secret.yaml): failed to decrypt the sops data key: the Kustomization (spec.decryption.secretRef is not set) holds no age or PGP key; the document wants age recipient ${age.recipient}; the fallback Secret '${ns}/sops-age' (--sops-age-secret) is not found`,
    );

    // The retry interval is 10m: Ready within waitReady's 30 s shows the Secret watch requeued it.
    await keySecret(api, ns, "sops-age", { "age.agekey": `# created: now\n# public key: ${age.recipient}\n${age.identity}\n`, "ignored.asc": "not a key" });
    await waitReady(api, ns, "app", { revision: art.revision });
    assert.equal(await secretValue(api, ns, "db", "password"), "hunter2");
  });

  it("with a secretRef: its keys and the fallback's both decrypt; a key in neither names both Secrets", async (t) => {
    const ns = await freshNamespace("ks-sops-fallback-ref", t);
    const { manager } = await startKustomize(ns, t, { sopsAgeSecret: "sops-age", runtimeNamespace: ns });
    const api = manager.api;
    const [own, fallback, stranger] = await Promise.all([ageKeyPair(), ageKeyPair(), ageKeyPair()]);
    const secret = (name: string) => ({ apiVersion: "v1", kind: "Secret", metadata: { name }, stringData: { token: name } });
    const art = await server.publish({
      "own/secret.yaml": stringify(await sopsEncrypt(secret("own"), own.recipient)),
      "fallback/secret.yaml": stringify(await sopsEncrypt(secret("fallback"), fallback.recipient)),
    });
    // Another source: every encrypted file of an artifact is decrypted before the build, whatever spec.path.
    const strangerArt = await server.publish({ "stranger/secret.yaml": stringify(await sopsEncrypt(secret("stranger"), stranger.recipient)) });
    await createGitRepository(api, ns, "repo", art);
    await createGitRepository(api, ns, "stranger-repo", strangerArt);
    await keySecret(api, ns, "own-keys", { "own.agekey": own.identity });
    await keySecret(api, ns, "sops-age", { "age.agekey": fallback.identity });
    for (const name of ["own", "fallback", "stranger"]) {
      const sourceRef = { kind: "GitRepository" as const, name: name === "stranger" ? "stranger-repo" : "repo" };
      await api.create(ksRef, kustomization(ns, name, { sourceRef, path: `./${name}`, targetNamespace: ns, decryption: { provider: "sops", secretRef: { name: "own-keys" } } }));
    }
    for (const name of ["own", "fallback"]) {
      await waitReady(api, ns, name, { revision: art.revision });
      assert.equal(await secretValue(api, ns, name, "token"), name);
    }
    const failed = await waitReady(api, ns, "stranger", { status: "False", reason: "BuildFailed" });
    assert.match(
      readyOf(failed)!.message,
      new RegExp(`no key in Secret '${ns}/own-keys' or the fallback Secret '${ns}/sops-age' \\(--sops-age-secret\\) matches: it holds age key for ${own.recipient}, ${fallback.recipient}; the document wants age recipient ${stranger.recipient}$`),
    );
  });
});
