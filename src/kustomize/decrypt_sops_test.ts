import assert from "node:assert/strict";
import { test } from "node:test";
import { ageKeyPair, pgpKeyPair, sopsEncrypt } from "./encrypt_sops.ts";
import { decryptSops, isSopsEncrypted, type SopsKeys } from "./decrypt_sops.ts";
import { readPgpKeys } from "./sops_pgp.ts";

const secret = { apiVersion: "v1", kind: "Secret", metadata: { name: "db" }, stringData: { password: "hunter2", port: 5432, tls: true } };
const keys = (k: Partial<SopsKeys>): SopsKeys => ({ age: [], pgp: [], origin: "Secret 'ns/keys'", ...k });

test("decrypts a SOPS age document and verifies its MAC", async () => {
  const { identity, recipient } = await ageKeyPair();
  const enc = await sopsEncrypt(secret, recipient);
  assert.ok(isSopsEncrypted(enc));
  assert.match(JSON.stringify(enc), /ENC\[AES256_GCM/);
  assert.deepEqual(await decryptSops(enc, keys({ age: [identity] })), secret);
});

test("a wrong key or tampered data fails with a clear error", async () => {
  const { recipient } = await ageKeyPair();
  const other = await ageKeyPair();
  const enc = await sopsEncrypt(secret, recipient);
  await assert.rejects(
    decryptSops(enc, keys({ age: [other.identity] })),
    new RegExp(`^Error: failed to decrypt the sops data key: no key in Secret 'ns/keys' matches: it holds age key for ${other.recipient}; the document wants age recipient ${recipient}$`),
  );
  await assert.rejects(decryptSops(enc, keys({})), /Secret 'ns\/keys' holds no age or PGP key; the document wants age recipient age1/);
  const mine = await ageKeyPair();
  const enc2 = await sopsEncrypt(secret, mine.recipient);
  (enc2.metadata as Record<string, string>).name = "tampered";
  await assert.rejects(decryptSops(enc2, keys({ age: [mine.identity] })), /MAC mismatch/);
});

test("decrypts a document encrypted to a PGP key with that key's armored private key", async () => {
  const pair = await pgpKeyPair();
  const enc = await sopsEncrypt(secret, { pgp: [pair.publicKey] });
  const pgp = (enc.sops as { pgp: Array<{ fp: string; enc: string }> }).pgp;
  assert.equal(pgp[0].fp, pair.fingerprint);
  assert.match(pgp[0].enc, /^-----BEGIN PGP MESSAGE-----/);
  assert.deepEqual(await decryptSops(enc, keys({ pgp: await readPgpKeys(pair.privateKey, "sops.asc") })), secret);
});

test("a document for both age and PGP decrypts with whichever key is there", async () => {
  const age = await ageKeyPair();
  const pair = await pgpKeyPair();
  const enc = await sopsEncrypt(secret, { age: [age.recipient], pgp: [pair.publicKey] });
  assert.deepEqual(await decryptSops(enc, keys({ age: [age.identity] })), secret);
  assert.deepEqual(await decryptSops(enc, keys({ pgp: await readPgpKeys(pair.privateKey, "sops.asc") })), secret);
  // A non-matching key of one kind does not hide a matching one of the other.
  const otherAge = await ageKeyPair();
  assert.deepEqual(await decryptSops(enc, keys({ age: [otherAge.identity], pgp: await readPgpKeys(pair.privateKey, "sops.asc") })), secret);
});

test("a wrong PGP key names the fingerprints wanted and held", async () => {
  const right = await pgpKeyPair();
  const wrong = await pgpKeyPair();
  const age = await ageKeyPair();
  const enc = await sopsEncrypt(secret, { age: [age.recipient], pgp: [right.publicKey] });
  await assert.rejects(
    decryptSops(enc, keys({ pgp: await readPgpKeys(wrong.privateKey, "sops.asc") })),
    (err: Error) => {
      assert.equal(
        err.message,
        `failed to decrypt the sops data key: no key in Secret 'ns/keys' matches: it holds PGP key ${wrong.fingerprint}; the document wants PGP key ${right.fingerprint} or age recipient ${age.recipient}`,
      );
      return true;
    },
  );
});

test("several armored keys in one entry; passphrase-protected and public keys are refused", async () => {
  const a = await pgpKeyPair();
  const b = await pgpKeyPair();
  const both = await readPgpKeys(`${a.privateKey}\n${b.privateKey}`, "ring.asc");
  assert.deepEqual(both.map((k) => k.fingerprint), [a.fingerprint, b.fingerprint]);
  const enc = await sopsEncrypt(secret, { pgp: [b.publicKey] });
  assert.deepEqual(await decryptSops(enc, keys({ pgp: both })), secret);

  const locked = await pgpKeyPair("correct horse");
  await assert.rejects(readPgpKeys(locked.privateKey, "locked.asc"), new RegExp(`^Error: PGP key ${locked.fingerprint} in 'locked.asc' is protected by a passphrase, which SOPS decryption does not support \\(nor does Flux\\)`));
  await assert.rejects(readPgpKeys(a.publicKey, "public.asc"), /^Error: 'public.asc' does not hold an armored PGP private key: /);
  await assert.rejects(readPgpKeys("not a key", "junk.asc"), /^Error: 'junk.asc' does not hold an armored PGP private key: /);
});

test("a document with neither age nor PGP recipients says so", async () => {
  const age = await ageKeyPair();
  const enc = await sopsEncrypt(secret, age.recipient);
  const sops = enc.sops as Record<string, unknown>;
  delete sops.age;
  sops.kms = [{ arn: "arn:aws:kms:eu-west-1:1:key/x", enc: "AQI=" }];
  await assert.rejects(decryptSops(enc, keys({ age: [age.identity] })), /the document has no age or PGP recipients/);
});

test("several key groups: any shamir_threshold of them recover the data key; fewer name the shares and groups", async () => {
  const [a, b, c] = await Promise.all([ageKeyPair(), ageKeyPair(), ageKeyPair()]);
  const pair = await pgpKeyPair();
  const enc = await sopsEncrypt(secret, { keyGroups: [{ age: [a.recipient] }, { age: [b.recipient] }, { age: [c.recipient], pgp: [pair.publicKey] }], threshold: 2 });
  const sops = enc.sops as { key_groups: unknown[]; shamir_threshold: number; age?: unknown };
  assert.equal(sops.key_groups.length, 3);
  assert.equal(sops.shamir_threshold, 2);
  assert.equal(sops.age, undefined);
  const pgp = await readPgpKeys(pair.privateKey, "sops.asc");
  for (const ids of [[a, b], [a, c], [b, c], [a, b, c]]) assert.deepEqual(await decryptSops(enc, keys({ age: ids.map((k) => k.identity) })), secret);
  assert.deepEqual(await decryptSops(enc, keys({ age: [a.identity], pgp })), secret);

  await assert.rejects(decryptSops(enc, keys({ age: [b.identity] })), (err: Error) => {
    assert.equal(
      err.message,
      `failed to decrypt the sops data key: found 1 of the 2 Shamir shares needed (shamir_threshold 2 of 3 key groups): no key in Secret 'ns/keys' decrypts ` +
        `key group 1 (age recipient ${a.recipient}) or key group 3 (PGP key ${pair.fingerprint} or age recipient ${c.recipient}); it holds age key for ${b.recipient}`,
    );
    return true;
  });
  await assert.rejects(decryptSops(enc, keys({ missing: "the fallback Secret 'x/y' is not found" })), /found 0 of the 2 Shamir shares needed .*; Secret 'ns\/keys' holds no age or PGP key; the fallback Secret 'x\/y' is not found$/);
});

test("key groups without shamir_threshold need every group; a single key group is written flat", async () => {
  const [a, b] = await Promise.all([ageKeyPair(), ageKeyPair()]);
  const enc = await sopsEncrypt(secret, { keyGroups: [{ age: [a.recipient] }, { age: [b.recipient] }] });
  delete (enc.sops as { shamir_threshold?: number }).shamir_threshold;
  assert.deepEqual(await decryptSops(enc, keys({ age: [a.identity, b.identity] })), secret);
  await assert.rejects(decryptSops(enc, keys({ age: [a.identity] })), /found 1 of the 2 Shamir shares needed \(shamir_threshold 2 of 2 key groups\): no key in Secret 'ns\/keys' decrypts key group 2 /);

  const flat = await sopsEncrypt(secret, { keyGroups: [{ age: [a.recipient] }] });
  assert.equal((flat.sops as { key_groups?: unknown }).key_groups, undefined);
  assert.deepEqual(await decryptSops(flat, keys({ age: [a.identity] })), secret);
});
