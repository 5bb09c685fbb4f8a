/** SOPS encryption with age, the mirror of decrypt_sops.ts: makes encrypted fixtures (tests) the way `sops -e` would. */
import { createCipheriv, createHash, randomBytes } from "node:crypto";
import { armor, Encrypter, generateIdentity, identityToRecipient } from "age-encryption";

export async function ageKeyPair(): Promise<{ identity: string; recipient: string }> {
  const identity = await generateIdentity();
  return { identity, recipient: await identityToRecipient(identity) };
}

function encryptValue(plain: string, key: Buffer, aad: string, type: string): string {
  const iv = randomBytes(32);
  const c = createCipheriv("aes-256-gcm", key, iv);
  c.setAAD(Buffer.from(aad));
  const data = Buffer.concat([c.update(Buffer.from(plain)), c.final()]);
  return `ENC[AES256_GCM,data:${data.toString("base64")},iv:${iv.toString("base64")},tag:${c.getAuthTag().toString("base64")},type:${type}]`;
}

/** Encrypts the values under keys matching `encryptedRegex` (e.g. ^(data|stringData)$), as `sops -e` would. */
export async function sopsEncrypt(doc: Record<string, unknown>, recipient: string, encryptedRegex = "^(data|stringData)$"): Promise<Record<string, unknown>> {
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
  const e = new Encrypter();
  e.addRecipient(recipient);
  const lastmodified = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  out.sops = {
    age: [{ recipient, enc: armor.encode(await e.encrypt(key)) }],
    lastmodified,
    mac: encryptValue(hash.digest("hex").toUpperCase(), key, lastmodified, "str"),
    encrypted_regex: encryptedRegex,
    version: "3.9.0",
  };
  return out;
}
