import { createDecipheriv, createHash } from "node:crypto";
import { armor, Decrypter, identityToRecipient } from "age-encryption";
import { SopsError } from "./sops_error.ts";
import { type PgpKey, pgpDataKey } from "./sops_pgp.ts";
import { shamirCombine } from "./sops_shamir.ts";

export { SopsError };

/** The keys a document may be decrypted with, e.g. those of a Kustomization's decryption Secret. */
export interface SopsKeys {
  /** age identities (AGE-SECRET-KEY-1…). */
  age: string[];
  pgp: PgpKey[];
  /** Where the keys come from, for messages: e.g. "Secret 'ns/name'". */
  origin?: string;
  /** Keys that were wanted but are not there, added to the message when no key fits: e.g. "the fallback Secret … is not found". */
  missing?: string;
}

interface SopsMetadata {
  age?: Array<{ recipient?: string; enc?: string }>;
  pgp?: Array<{ fp?: string; enc?: string }>;
  key_groups?: KeyGroup[];
  shamir_threshold?: number;
  lastmodified?: string;
  mac?: string;
  unencrypted_suffix?: string;
  encrypted_suffix?: string;
  unencrypted_regex?: string;
  encrypted_regex?: string;
  mac_only_encrypted?: boolean;
}

/** Whether a parsed document carries SOPS metadata. */
export function isSopsEncrypted(doc: unknown): boolean {
  const sops = (doc as { sops?: SopsMetadata } | null)?.sops;
  return typeof sops === "object" && sops !== null && typeof sops.mac === "string";
}

/**
 * Decrypts a parsed SOPS document (YAML or JSON) with age or PGP keys: unwraps the data key with
 * whichever of its recipients a key is given for (or, for a file with several key groups,
 * recombines it from the Shamir shares of `shamir_threshold` groups), decrypts every ENC[AES256_GCM,…] value with its
 * key path as additional data, verifies the MAC over the plaintext, and returns the document
 * without its `sops` section.
 */
export async function decryptSops(doc: Record<string, unknown>, keys: SopsKeys): Promise<Record<string, unknown>> {
  const meta = doc.sops as SopsMetadata;
  const key = await dataKey(meta, keys);
  const shouldEncrypt = encryptionRule(meta);
  let hashed: string[] = [];
  const walk = (value: unknown, path: string[]): unknown => {
    if (Array.isArray(value)) return value.map((v) => walk(v, path));
    if (value !== null && typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = walk(v, [...path, k]);
      return out;
    }
    const encrypted = shouldEncrypt(path);
    const plain = encrypted && typeof value === "string" && value.startsWith("ENC[") ? decryptValue(value, key, `${path.join(":")}:`) : value;
    if (!meta.mac_only_encrypted || encrypted) hashed.push(toBytes(plain));
    return plain;
  };
  const out: Record<string, unknown> = {};
  const parts: string[][] = [];
  for (const [k, v] of Object.entries(doc)) {
    if (k === "sops") continue;
    hashed = [];
    out[k] = walk(v, [k]);
    parts.push(hashed);
  }
  const mac = String(decryptValue(meta.mac!, key, meta.lastmodified ?? "")).toUpperCase();
  if (!macMatches(mac, parts)) throw new SopsError("failed to verify sops data integrity: MAC mismatch");
  return out;
}

/**
 * The MAC hashes values in the order of the encrypted file. kustomize may reorder an object's
 * top-level fields (apiVersion, kind, metadata, data, …), so every order of them is tried.
 */
function macMatches(mac: string, parts: string[][]): boolean {
  const digest = (order: string[][]) => {
    const h = createHash("sha512");
    for (const p of order) for (const v of p) h.update(v);
    return h.digest("hex").toUpperCase();
  };
  if (digest(parts) === mac) return true;
  if (parts.length > 7) return false;
  const permute = (rest: string[][], acc: string[][]): boolean => {
    if (rest.length === 0) return digest(acc) === mac;
    return rest.some((p, i) => permute([...rest.slice(0, i), ...rest.slice(i + 1)], [...acc, p]));
  };
  return permute(parts, []);
}

/** The master keys that wrap one copy of the data key, or (with several groups) one Shamir share of it. */
interface KeyGroup {
  age?: Array<{ recipient?: string; enc?: string }>;
  pgp?: Array<{ fp?: string; enc?: string }>;
}

/** SOPS's key groups: the top-level keys form one group; without them, `key_groups` lists them. */
function keyGroups(meta: SopsMetadata): KeyGroup[] {
  const m = meta as SopsMetadata & Record<string, unknown>;
  const topLevel = ["age", "pgp", "kms", "gcp_kms", "hckms", "azure_kv", "hc_vault"].some((k) => Array.isArray(m[k]) && (m[k] as unknown[]).length > 0);
  return topLevel || !Array.isArray(meta.key_groups) || meta.key_groups.length === 0 ? [meta] : meta.key_groups.map((g) => g ?? {});
}

/** What one group's keys give: its data key or share, or what went wrong other than "not one of my keys". */
interface GroupResult {
  key?: Buffer;
  errors: string[];
}

async function unwrapGroup(group: KeyGroup, keys: SopsKeys, ageDecrypter: Decrypter | undefined): Promise<GroupResult> {
  const errors: string[] = [];
  if (ageDecrypter) {
    for (const s of (group.age ?? []).filter((a) => a.enc)) {
      try {
        const file = s.enc!.includes("-----BEGIN") ? armor.decode(s.enc!) : Buffer.from(s.enc!, "base64");
        return { key: Buffer.from(await ageDecrypter.decrypt(file)), errors };
      } catch (err) {
        const msg = (err as Error).message;
        if (!msg.includes("no identity matched")) errors.push(`age recipient ${s.recipient ?? "?"}: ${msg}`);
      }
    }
  }
  if (keys.pgp.length > 0) {
    for (const s of (group.pgp ?? []).filter((p) => p.enc)) {
      try {
        const key = await pgpDataKey(s.enc!, keys.pgp);
        if (key) return { key, errors };
      } catch (err) {
        errors.push(`PGP key ${s.fp ?? "?"}: ${(err as Error).message}`);
      }
    }
  }
  return { errors };
}

/** The keys a group wants, for messages: "PGP key … or age recipient …". */
function wantedBy(group: KeyGroup): string {
  const age = (group.age ?? []).filter((a) => a.enc);
  const pgp = (group.pgp ?? []).filter((p) => p.enc);
  return [
    pgp.length > 0 ? `PGP key ${pgp.map((p) => p.fp ?? "?").join(", ")}` : "",
    age.length > 0 ? `age recipient ${age.map((a) => a.recipient ?? "?").join(", ")}` : "",
  ]
    .filter(Boolean)
    .join(" or ");
}

/**
 * The data key: with one key group, whichever of its keys is given unwraps it; with several, each
 * group whose key is given unwraps a Shamir share, and `shamir_threshold` shares recombine it.
 */
async function dataKey(meta: SopsMetadata, keys: SopsKeys): Promise<Buffer> {
  const groups = keyGroups(meta);
  if (groups.every((g) => !wantedBy(g))) throw new SopsError("the document has no age or PGP recipients (Sluice decrypts with age and PGP keys only)");
  let ageDecrypter: Decrypter | undefined;
  if (keys.age.length > 0) {
    ageDecrypter = new Decrypter();
    for (const id of keys.age) ageDecrypter.addIdentity(id);
  }
  // sops writes shamir_threshold with several groups; without it, every group is needed (as sops encrypts then).
  const threshold = groups.length === 1 ? 1 : Number(meta.shamir_threshold) > 0 ? Number(meta.shamir_threshold) : groups.length;
  const results: GroupResult[] = [];
  const shares: Buffer[] = [];
  for (const g of groups) {
    const result = await unwrapGroup(g, keys, ageDecrypter);
    results.push(result);
    if (result.key) shares.push(result.key);
    if (shares.length >= threshold) break;
  }
  if (groups.length === 1 && shares.length === 1) return shares[0];

  // From here on the data key is missing or to be recombined; only messages need what the keys are.
  const origin = keys.origin ?? "the given keys";
  const noKeys = `${origin} holds no age or PGP key`;
  /** "it holds PGP key … and age key for …", or undefined when no key is given. */
  const holding = async (): Promise<string | undefined> => {
    const held = [
      keys.pgp.length > 0 ? `PGP key ${keys.pgp.map((k) => k.fingerprint).join(", ")}` : "",
      keys.age.length > 0 ? `age key for ${(await Promise.all(keys.age.map(recipientOf))).join(", ")}` : "",
    ].filter(Boolean);
    return held.length > 0 ? `it holds ${held.join(" and ")}` : undefined;
  };
  const missing = keys.missing ? `; ${keys.missing}` : "";

  if (groups.length === 1) {
    const [{ errors }] = results;
    if (errors.length > 0) throw new SopsError(`failed to decrypt the sops data key: ${errors.join("; ")}`);
    const holds = await holding();
    const why = holds ? `no key in ${origin} matches: ${holds}` : noKeys;
    throw new SopsError(`failed to decrypt the sops data key: ${why}; the document wants ${wantedBy(groups[0])}${missing}`);
  }

  if (shares.length >= threshold) {
    try {
      return shamirCombine(shares);
    } catch (err) {
      throw new SopsError(`failed to decrypt the sops data key: cannot recombine the key groups' Shamir shares: ${(err as Error).message}`);
    }
  }
  // Every group was tried (the loop stops early only once there are enough shares).
  const holds = (await holding()) ?? noKeys;
  const failed = results.flatMap((r, i) => (r.key ? [] : [{ n: i + 1, wants: wantedBy(groups[i]), errors: r.errors }]));
  const unmatched = failed.map((f) => `key group ${f.n} (${f.wants || "no age or PGP key"})`);
  const errors = failed.flatMap((f) => f.errors.map((e) => `key group ${f.n}: ${e}`));
  throw new SopsError(
    `failed to decrypt the sops data key: found ${shares.length} of the ${threshold} Shamir shares needed (shamir_threshold ${threshold} of ${groups.length} key groups): ` +
      `no key in ${origin} decrypts ${joinOr(unmatched)}; ${holds}${errors.length > 0 ? `; ${errors.join("; ")}` : ""}${missing}`,
  );
}

function joinOr(items: string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

async function recipientOf(identity: string): Promise<string> {
  try {
    return await identityToRecipient(identity);
  } catch {
    return "(an unreadable age identity)";
  }
}

function decryptValue(value: string, key: Buffer, aad: string): unknown {
  const m = value.match(/^ENC\[AES256_GCM,data:([^,]*),iv:([^,]+),tag:([^,]+),type:(\w+)\]$/);
  if (!m) throw new SopsError(`malformed encrypted value ${JSON.stringify(value.slice(0, 40))}`);
  const [, data, iv, tag, type] = m;
  let plain: string;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(Buffer.from(tag, "base64"));
    plain = Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]).toString("utf8");
  } catch {
    throw new SopsError(`failed to decrypt the value at ${JSON.stringify(aad)}: authentication failed`);
  }
  switch (type) {
    case "int":
      return Number.parseInt(plain, 10);
    case "float":
      return Number.parseFloat(plain);
    case "bool":
      return plain.toLowerCase() === "true";
    default:
      return plain;
  }
}

function toBytes(v: unknown): string {
  if (typeof v === "boolean") return v ? "True" : "False";
  if (v === null || v === undefined) return "";
  return String(v);
}

function encryptionRule(meta: SopsMetadata): (path: string[]) => boolean {
  if (meta.unencrypted_suffix) return (p) => !p.some((k) => k.endsWith(meta.unencrypted_suffix!));
  if (meta.encrypted_suffix) return (p) => p.some((k) => k.endsWith(meta.encrypted_suffix!));
  if (meta.unencrypted_regex) {
    const re = new RegExp(meta.unencrypted_regex);
    return (p) => !p.some((k) => re.test(k));
  }
  if (meta.encrypted_regex) {
    const re = new RegExp(meta.encrypted_regex);
    return (p) => p.some((k) => re.test(k));
  }
  return () => true;
}
