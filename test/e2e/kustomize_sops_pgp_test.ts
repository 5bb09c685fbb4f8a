/**
 * SOPS with PGP keys, on the real control plane, with keys made by real gpg (`gpg --batch
 * --quick-gen-key` in a throwaway GNUPGHOME, `gpg --export-secret-keys --armor`) and data keys
 * wrapped by `gpg --encrypt`, as sops does when gpg is installed: decrypts with the `*.asc` entry
 * of the decryption Secret; a document for both age and PGP decrypts with the age key alone; a
 * wrong key is BuildFailed naming the file and the fingerprints; a passphrase-protected key is refused.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { stringify } from "yaml";
import { ageKeyPair, type PgpWrap, sopsEncrypt } from "../../src/kustomize/encrypt_sops.ts";
import type { ObjectApi } from "../../src/runtime/kube/objects.ts";
import { freshNamespace } from "../support/cluster.ts";
import { ArtifactServer, core, createGitRepository, kustomization, ksRef, readyOf, startKustomize, waitReady } from "./kustomize_support.ts";

const secretRef = core("secrets", "Secret");

/** A throwaway GNUPGHOME; its gpg-agent is killed and the folder removed on close. */
class Gpg {
  home = "";

  async open(): Promise<this> {
    this.home = await mkdtemp(join(tmpdir(), "sluice-sops-gpg-"));
    return this;
  }

  async run(args: string[], input?: Buffer): Promise<string> {
    const env = { ...process.env, GNUPGHOME: this.home };
    const child = promisify(execFile)("gpg", ["--batch", "--no-tty", ...args], { env, maxBuffer: 1 << 20 });
    child.child.stdin?.end(input);
    return (await child).stdout;
  }

  /** A new key made as a user would (gpg's default algorithms), optionally with a passphrase; returns its fingerprint. */
  async generate(name: string, passphrase = ""): Promise<string> {
    await this.run(["--pinentry-mode", "loopback", "--passphrase", passphrase, "--quick-gen-key", `${name} <${name}@sluice.invalid>`, "default", "default", "never"]);
    const listing = await this.run(["--with-colons", "--list-secret-keys", `${name}@sluice.invalid`]);
    return listing.split("\n").find((l) => l.startsWith("fpr:"))!.split(":")[9];
  }

  async exportSecret(fp: string, passphrase = ""): Promise<string> {
    return this.run(["--pinentry-mode", "loopback", "--passphrase", passphrase, "--armor", "--export-secret-keys", fp]);
  }

  /** Wraps a SOPS data key the way sops's gpg path does. */
  wrapFor(fp: string): PgpWrap {
    return { fp, wrap: (key) => this.run(["--armor", "--trust-model", "always", "--no-encrypt-to", "--encrypt", "--recipient", fp], key) };
  }

  async close(): Promise<void> {
    if (!this.home) return;
    await promisify(execFile)("gpgconf", ["--kill", "all"], { env: { ...process.env, GNUPGHOME: this.home } }).catch(() => undefined);
    await rm(this.home, { recursive: true, force: true });
  }
}

async function keySecret(api: ObjectApi, ns: string, name: string, stringData: Record<string, string>): Promise<void> {
  await api.create(secretRef, { apiVersion: "v1", kind: "Secret", metadata: { name, namespace: ns }, stringData });
}

describe("kustomize: SOPS with PGP keys made by gpg", { concurrency: true }, () => {
  let server: ArtifactServer;
  const gpg = new Gpg();
  let right = "";
  let wrong = "";
  let locked = "";
  before(async () => {
    server = await new ArtifactServer().start();
    await gpg.open();
    right = await gpg.generate("right");
    wrong = await gpg.generate("wrong");
    locked = await gpg.generate("locked", "correct horse");
  });
  after(async () => {
    await server.close();
    await gpg.close();
  });

  it("decrypts with the gpg key in a *.asc entry; BuildFailed naming the file and fingerprints with a wrong one", async (t) => {
    const ns = await freshNamespace("ks-sops-pgp", t);
    const { manager } = await startKustomize(ns, t);
    const api = manager.api;
    const doc = await sopsEncrypt({ apiVersion: "v1", kind: "Secret", metadata: { name: "db" }, stringData: { password: "hunter2" } }, { pgp: [gpg.wrapFor(right)] });
    const art = await server.publish({ "app/secret.yaml": stringify(doc) });
    await createGitRepository(api, ns, "repo", art);
    await keySecret(api, ns, "right-key", { "sops.asc": await gpg.exportSecret(right) });
    await keySecret(api, ns, "wrong-key", { "sops.asc": await gpg.exportSecret(wrong) });
    await keySecret(api, ns, "locked-key", { "locked.asc": await gpg.exportSecret(locked, "correct horse") });
    const dec = (name: string) => ({ provider: "sops" as const, secretRef: { name } });
    await api.create(ksRef, kustomization(ns, "right", { path: "./app", targetNamespace: ns, decryption: dec("right-key") }));
    await api.create(ksRef, kustomization(ns, "wrong", { path: "./app", targetNamespace: ns, namePrefix: "w-", decryption: dec("wrong-key") }));
    await api.create(ksRef, kustomization(ns, "locked", { path: "./app", targetNamespace: ns, namePrefix: "l-", decryption: dec("locked-key") }));

    await waitReady(api, ns, "right", { revision: art.revision });
    const db = await api.get<{ data: Record<string, string> }>(secretRef, ns, "db");
    assert.equal(Buffer.from(db.data.password, "base64").toString(), "hunter2");

    const w = await waitReady(api, ns, "wrong", { status: "False", reason: "BuildFailed" });
    assert.equal(
      readyOf(w)!.message,
      `decryption failed for 'Secret/db' (app/secret.yaml): failed to decrypt the sops data key: no key in Secret '${ns}/wrong-key' matches: it holds PGP key ${wrong}; the document wants PGP key ${right}`,
    );
    const l = await waitReady(api, ns, "locked", { status: "False", reason: "BuildFailed" });
    assert.match(readyOf(l)!.message, new RegExp(`^spec.decryption.secretRef: Secret '${ns}/locked-key': PGP key ${locked} in 'locked.asc' is protected by a passphrase`));
  });

  it("a document for age and PGP decrypts with either key alone; age and PGP entries live side by side", async (t) => {
    const ns = await freshNamespace("ks-sops-mixed", t);
    const { manager } = await startKustomize(ns, t);
    const api = manager.api;
    const age = await ageKeyPair();
    const doc = await sopsEncrypt({ apiVersion: "v1", kind: "Secret", metadata: { name: "api" }, stringData: { token: "t0ken" } }, { age: [age.recipient], pgp: [gpg.wrapFor(right)] });
    const art = await server.publish({ "secret.yaml": stringify(doc) });
    await createGitRepository(api, ns, "repo", art);
    await keySecret(api, ns, "age-only", { "age.agekey": age.identity });
    await keySecret(api, ns, "pgp-only", { "sops.asc": await gpg.exportSecret(right) });
    // The wrong PGP key beside the right age key does not get in the way.
    await keySecret(api, ns, "both", { "other.asc": await gpg.exportSecret(wrong), "age.agekey": age.identity });
    for (const [name, secret] of [["a", "age-only"], ["p", "pgp-only"], ["b", "both"]]) {
      await api.create(ksRef, kustomization(ns, name, { targetNamespace: ns, namePrefix: `${name}-`, decryption: { provider: "sops", secretRef: { name: secret } } }));
    }
    for (const name of ["a", "p", "b"]) {
      await waitReady(api, ns, name, { revision: art.revision });
      const s = await api.get<{ data: Record<string, string> }>(secretRef, ns, `${name}-api`);
      assert.equal(Buffer.from(s.data.token, "base64").toString(), "t0ken");
    }
  });
});
