import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { generateSshIdentity, readSshIdentity } from "./ssh_credentials.ts";

test("a generated key is encrypted with the passphrase, which never goes on ssh-keygen's command line", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "sluice-ssh-test-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const made = await generateSshIdentity("ed25519", "it's a secret");
  assert.match(made.privateKey, /^-----BEGIN OPENSSH PRIVATE KEY-----/);
  const file = join(dir, "key");
  await writeFile(file, made.privateKey, { mode: 0o600 });

  assert.equal((await readSshIdentity(file, "it's a secret")).publicKey, made.publicKey);
  await assert.rejects(readSshIdentity(file), /is encrypted: give its passphrase with --password/);
  await assert.rejects(readSshIdentity(file, "wrong"), /--password is not the passphrase of/);
});
