import assert from "node:assert/strict";
import { test } from "node:test";
import { ageKeyPair, sopsEncrypt } from "./encrypt_sops.ts";
import { decryptSops, isSopsEncrypted } from "./decrypt_sops.ts";

const secret = { apiVersion: "v1", kind: "Secret", metadata: { name: "db" }, stringData: { password: "hunter2", port: 5432, tls: true } };

test("decrypts a SOPS age document and verifies its MAC", async () => {
  const { identity, recipient } = await ageKeyPair();
  const enc = await sopsEncrypt(secret, recipient);
  assert.ok(isSopsEncrypted(enc));
  assert.match(JSON.stringify(enc), /ENC\[AES256_GCM/);
  assert.deepEqual(await decryptSops(enc, [identity]), secret);
});

test("a wrong key or tampered data fails with a clear error", async () => {
  const { recipient } = await ageKeyPair();
  const other = await ageKeyPair();
  const enc = await sopsEncrypt(secret, recipient);
  await assert.rejects(decryptSops(enc, [other.identity]), /failed to decrypt the sops data key/);
  await assert.rejects(decryptSops(enc, []), /no age identities/);
  const mine = await ageKeyPair();
  const enc2 = await sopsEncrypt(secret, mine.recipient);
  (enc2.metadata as Record<string, string>).name = "tampered";
  await assert.rejects(decryptSops(enc2, [mine.identity]), /MAC mismatch/);
});
