/**
 * Files encrypted by the real sops (v3.13.3, see test/fixtures/sops/README.md): three key groups
 * with shamir_threshold 2 (YAML and JSON), and one plain group. Every pair of groups' keys
 * decrypts; one group's alone fails naming the shares found and needed and the groups without a key.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { decryptSops, type SopsKeys } from "./decrypt_sops.ts";
import { type PgpKey, readPgpKeys } from "./sops_pgp.ts";

const dir = join(import.meta.dirname, "../../test/fixtures/sops");
const fixture = async (name: string) => parse(await readFile(join(dir, name), "utf8")) as Record<string, unknown>;
const ageKey = async (n: number) => {
  const text = await readFile(join(dir, `keys/group${n}.agekey`), "utf8");
  return { identity: text.split("\n").find((l) => l.startsWith("AGE-SECRET-KEY-"))!, recipient: text.match(/public key: (age1\w+)/)![1] };
};

const yamlSecret = { apiVersion: "v1", kind: "Secret", metadata: { name: "db-key-groups" }, type: "Opaque", stringData: { username: "admin", password: "correct horse battery staple" } };
const jsonSecret = { apiVersion: "v1", kind: "Secret", metadata: { name: "api-key-groups" }, type: "Opaque", data: { token: "c2x1aWNlLXRlc3QtdG9rZW4=" } };

async function fixtureKeys(): Promise<{ age: Awaited<ReturnType<typeof ageKey>>[]; pgp: PgpKey[] }> {
  return { age: await Promise.all([1, 2, 3].map(ageKey)), pgp: await readPgpKeys(await readFile(join(dir, "keys/group3.asc"), "utf8"), "group3.asc") };
}

const keys = (age: string[], pgp: PgpKey[] = []): SopsKeys => ({ age, pgp, origin: "Secret 'ns/keys'" });

for (const [file, want] of [["secret.key-groups.yaml", yamlSecret], ["secret.key-groups.json", jsonSecret]] as const) {
  test(`real sops, 3 key groups, threshold 2 (${file}): any two groups' keys decrypt, one alone does not`, async () => {
    const doc = await fixture(file);
    const sops = doc.sops as { key_groups: unknown[]; shamir_threshold: number };
    assert.equal(sops.key_groups.length, 3);
    assert.equal(sops.shamir_threshold, 2);
    const { age, pgp } = await fixtureKeys();
    for (const [i, j] of [[0, 1], [0, 2], [1, 2]]) assert.deepEqual(await decryptSops(doc, keys([age[i].identity, age[j].identity])), want, `groups ${i + 1} and ${j + 1}`);
    assert.deepEqual(await decryptSops(doc, keys(age.map((a) => a.identity))), want);
    // Group 3's share through its PGP key instead of its age key.
    assert.deepEqual(await decryptSops(doc, keys([age[0].identity], pgp)), want);

    for (const [n, others] of [[1, [2, 3]], [2, [1, 3]], [3, [1, 2]]] as const) {
      await assert.rejects(decryptSops(doc, keys([age[n - 1].identity])), (err: Error) => {
        const wants = (g: number) => `key group ${g} (${g === 3 ? `PGP key ${pgp[0].fingerprint} or ` : ""}age recipient ${age[g - 1].recipient})`;
        assert.equal(
          err.message,
          `failed to decrypt the sops data key: found 1 of the 2 Shamir shares needed (shamir_threshold 2 of 3 key groups): ` +
            `no key in Secret 'ns/keys' decrypts ${wants(others[0])} or ${wants(others[1])}; it holds age key for ${age[n - 1].recipient}`,
        );
        return true;
      });
    }
    await assert.rejects(decryptSops(doc, keys([])), /found 0 of the 2 Shamir shares needed .* decrypts key group 1 \(.*\), key group 2 \(.*\) or key group 3 \(.*\); Secret 'ns\/keys' holds no age or PGP key$/);
  });
}

test("real sops, one key group of two age recipients: either key decrypts", async () => {
  const doc = await fixture("secret.single-group.yaml");
  assert.equal((doc.sops as { key_groups?: unknown }).key_groups, undefined);
  const { age } = await fixtureKeys();
  const want = { apiVersion: "v1", kind: "Secret", metadata: { name: "db-single-group" }, type: "Opaque", stringData: { password: "hunter2" } };
  for (const a of age.slice(0, 2)) assert.deepEqual(await decryptSops(doc, keys([a.identity])), want);
  await assert.rejects(decryptSops(doc, keys([age[2].identity])), /no key in Secret 'ns\/keys' matches: it holds age key for age1\w+; the document wants age recipient age1\w+, age1\w+$/);
});
