/** SOPS encryption with age and PGP, the mirror of decrypt_sops.ts: makes encrypted fixtures (tests) the way `sops -e` would. */
import { createCipheriv, createHash, randomBytes } from "node:crypto";
import { armor, Encrypter, generateIdentity, identityToRecipient } from "age-encryption";
import { Scalar } from "yaml";
import { openpgp } from "./sops_pgp.ts";
import { shamirSplit } from "./sops_shamir.ts";

export async function ageKeyPair(): Promise<{ identity: string; recipient: string }> {
  const identity = await generateIdentity();
  return { identity, recipient: await identityToRecipient(identity) };
}

/** A new PGP key pair (curve25519, no passphrase unless given), armored, as `gpg --export[-secret-keys] -a` writes them. */
export async function pgpKeyPair(passphrase?: string): Promise<{ privateKey: string; publicKey: string; fingerprint: string }> {
  const pgp = await openpgp();
  const { privateKey, publicKey } = await pgp.generateKey({ type: "curve25519", userIDs: [{ name: "Sluice test", email: "test@sluice.invalid" }], passphrase, format: "armored" });
  const key = await pgp.readKey({ armoredKey: publicKey });
  return { privateKey, publicKey, fingerprint: key.getFingerprint().toUpperCase() };
}

/**
 * Wraps the data key for a PGP recipient some other way (e.g. with the gpg CLI, as `sops` does
 * when gpg is installed); returns the armored message.
 */
export interface PgpWrap {
  fp: string;
  wrap(dataKey: Buffer): Promise<string>;
}

/** One key group's keys: age recipients and armored PGP public keys (or other wraps). */
export interface SopsKeyGroup {
  age?: string[];
  pgp?: Array<string | PgpWrap>;
}

/**
 * Whom a document is encrypted to: an age recipient (age1…), one group of keys, or several key
 * groups (`sops.key_groups`), each wrapping one Shamir share of the data key, `threshold` of
 * which (default: all) recover it, as `sops --shamir-secret-sharing-threshold` does.
 */
export type SopsRecipients = string | SopsKeyGroup | { keyGroups: SopsKeyGroup[]; threshold?: number };

/**
 * A timestamp string that YAML writes double-quoted, as sops does: sops reads an unquoted
 * `lastmodified` (or PGP `created_at`) as a YAML timestamp and refuses the file. Everywhere else
 * (JSON.stringify, String(), Buffer.from, template strings) it is the plain string.
 */
class QuotedTimestamp extends Scalar<string> {
  constructor(value: string) {
    super(value);
    this.type = Scalar.QUOTE_DOUBLE;
  }

  override valueOf(): string {
    return this.value;
  }
}

function encryptValue(plain: string, key: Buffer, aad: string, type: string): string {
  const iv = randomBytes(32);
  const c = createCipheriv("aes-256-gcm", key, iv);
  c.setAAD(Buffer.from(aad));
  const data = Buffer.concat([c.update(Buffer.from(plain)), c.final()]);
  return `ENC[AES256_GCM,data:${data.toString("base64")},iv:${iv.toString("base64")},tag:${c.getAuthTag().toString("base64")},type:${type}]`;
}

/** Encrypts the values under keys matching `encryptedRegex` (e.g. ^(data|stringData)$), as `sops -e` would. */
export async function sopsEncrypt(doc: Record<string, unknown>, recipients: SopsRecipients, encryptedRegex = "^(data|stringData)$"): Promise<Record<string, unknown>> {
  const key = randomBytes(32);
  const re = new RegExp(encryptedRegex);
  const hash = createHash("sha512");
  const walk = (v: unknown, path: string[]): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, path));
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, [...path, k])]));
    const plain = typeof v === "boolean" ? (v ? "True" : "False") : String(v);
    hash.update(plain);
    if (!path.some((p) => re.test(p))) return v;
    const type = typeof v === "number" ? (Number.isInteger(v) ? "int" : "float") : typeof v === "boolean" ? "bool" : "str";
    return encryptValue(String(v), key, `${path.join(":")}:`, type);
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) out[k] = walk(v, [k]);
  const lastmodified = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const to = typeof recipients === "string" ? { keyGroups: [{ age: [recipients] }] } : "keyGroups" in recipients ? recipients : { keyGroups: [recipients] };
  const groups = to.keyGroups;
  const threshold = to.threshold ?? groups.length;
  const shares = groups.length > 1 ? shamirSplit(key, groups.length, threshold) : [key];
  const wrapped = [];
  for (const [i, group] of groups.entries()) wrapped.push(await wrapGroup(group, shares[i], lastmodified));
  const keys = groups.length > 1 ? { key_groups: wrapped, shamir_threshold: threshold } : wrapped[0];
  out.sops = {
    ...keys,
    lastmodified: new QuotedTimestamp(lastmodified),
    mac: encryptValue(hash.digest("hex").toUpperCase(), key, lastmodified, "str"),
    encrypted_regex: encryptedRegex,
    version: "3.9.0",
  };
  return out;
}

/** One group's master keys, each wrapping `secret` (the data key, or this group's Shamir share of it). */
async function wrapGroup(group: SopsKeyGroup, secret: Buffer, createdAt: string): Promise<Record<string, unknown>> {
  const age = [];
  for (const recipient of group.age ?? []) {
    const e = new Encrypter();
    e.addRecipient(recipient);
    age.push({ recipient, enc: armor.encode(await e.encrypt(secret)) });
  }
  const pgp = [];
  for (const r of group.pgp ?? []) {
    const wrap = typeof r === "string" ? await pgpWrap(r) : r;
    pgp.push({ created_at: new QuotedTimestamp(createdAt), enc: await wrap.wrap(secret), fp: wrap.fp });
  }
  return { ...(age.length > 0 ? { age } : {}), ...(pgp.length > 0 ? { pgp } : {}) };
}

/** SOPS encrypts the raw data key to the PGP key and records the primary key's fingerprint. */
async function pgpWrap(armoredPublicKey: string): Promise<PgpWrap> {
  const pgp = await openpgp();
  const publicKey = await pgp.readKey({ armoredKey: armoredPublicKey });
  return {
    fp: publicKey.getFingerprint().toUpperCase(),
    wrap: async (dataKey) => pgp.encrypt({ message: await pgp.createMessage({ binary: new Uint8Array(dataKey) }), encryptionKeys: publicKey, format: "armored" }),
  };
}
