/**
 * SOPS key groups with a Shamir threshold, on the real control plane, with files encrypted by the
 * real sops (test/fixtures/sops: three key groups, shamir_threshold 2, YAML and JSON): a decryption
 * Secret holding two of the three groups' age keys decrypts them; one holding a single group's key
 * is BuildFailed naming the file, the shares found and needed, and the groups it has no key for.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { ObjectApi } from "../../src/runtime/kube/objects.ts";
import { freshNamespace } from "../support/cluster.ts";
import { artifactServerForSuite, core, createGitRepository, kustomization, ksRef, readyOf, startKustomize, waitReady } from "./kustomize_support.ts";

const secretRef = core("secrets", "Secret");
const fixtures = join(import.meta.dirname, "../fixtures/sops");
const fixture = (name: string) => readFile(join(fixtures, name), "utf8");

async function secretValue(api: ObjectApi, ns: string, name: string, key: string): Promise<string> {
  const s = await api.get<{ data: Record<string, string> }>(secretRef, ns, name);
  return Buffer.from(s.data[key], "base64").toString();
}

describe("kustomize: SOPS key groups with a Shamir threshold (files by the real sops)", () => {
  const server = artifactServerForSuite();

  it("two of three groups' age keys decrypt; one group's key alone is BuildFailed naming shares and groups", async (t) => {
    const ns = await freshNamespace("ks-sops-groups", t);
    const { manager } = await startKustomize(ns, t);
    const api = manager.api;
    const art = await server.publish({
      "app/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [secret.yaml, secret.json]\n",
      "app/secret.yaml": await fixture("secret.key-groups.yaml"),
      "app/secret.json": await fixture("secret.key-groups.json"),
    });
    await createGitRepository(api, ns, "repo", art);
    const [g1, g2, g3] = await Promise.all([1, 2, 3].map((n) => fixture(`keys/group${n}.agekey`)));
    await api.create(secretRef, { apiVersion: "v1", kind: "Secret", metadata: { name: "two-keys", namespace: ns }, stringData: { "group1.agekey": g1, "group3.agekey": g3 } });
    await api.create(secretRef, { apiVersion: "v1", kind: "Secret", metadata: { name: "one-key", namespace: ns }, stringData: { "group2.agekey": g2 } });
    const dec = (name: string) => ({ provider: "sops" as const, secretRef: { name } });
    await api.create(ksRef, kustomization(ns, "two", { path: "./app", targetNamespace: ns, decryption: dec("two-keys") }));
    await api.create(ksRef, kustomization(ns, "one", { path: "./app", targetNamespace: ns, namePrefix: "one-", decryption: dec("one-key") }));

    await waitReady(api, ns, "two", { revision: art.revision });
    assert.equal(await secretValue(api, ns, "db-key-groups", "password"), "correct horse battery staple");
    assert.equal(await secretValue(api, ns, "api-key-groups", "token"), "sluice-test-token");

    const failed = await waitReady(api, ns, "one", { status: "False", reason: "BuildFailed" });
    const recipient = (text: string) => text.match(/public key: (age1\w+)/)![1];
    assert.match(
      readyOf(failed)!.message,
      new RegExp(
        `^decryption failed for '\\w+/\\w+-key-groups' \\(app/secret\\.(yaml|json)\\): failed to decrypt the sops data key: found 1 of the 2 Shamir shares needed \\(shamir_threshold 2 of 3 key groups\\): ` +
          `no key in Secret '${ns}/one-key' decrypts key group 1 \\(age recipient ${recipient(g1)}\\) or key group 3 \\(PGP key [0-9A-F]{40} or age recipient ${recipient(g3)}\\); it holds age key for ${recipient(g2)}$`,
      ),
    );
  });
});
