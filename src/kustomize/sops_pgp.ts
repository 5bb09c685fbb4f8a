/** PGP for SOPS: private keys from armored `*.asc` entries, and the data keys they unwrap (ADR 8). */
import type { PrivateKey } from "openpgp";
import { SopsError } from "./sops_error.ts";

/** A PGP private key (with its subkeys) ready to decrypt. */
export interface PgpKey {
  /** The primary key's fingerprint, upper-case hex as gpg and SOPS print it. */
  fingerprint: string;
  key: PrivateKey;
}

let lib: Promise<typeof import("openpgp")> | undefined;
/** openpgp is large (~70 ms to load): loaded on the first PGP key, not at start. */
export function openpgp(): Promise<typeof import("openpgp")> {
  return (lib ??= import("openpgp"));
}

/**
 * The private keys of one armored block (a keyring may hold several). Keys protected by a
 * passphrase are refused, as Flux does: a controller has no one to ask for it.
 */
export async function readPgpKeys(armored: string, entry: string): Promise<PgpKey[]> {
  const pgp = await openpgp();
  // One armored block may hold several keys, and an entry may hold several blocks (as gpg --import takes them).
  const blocks = armored.split(/(?=-----BEGIN PGP )/).filter((b) => b.startsWith("-----BEGIN PGP "));
  const keys: PrivateKey[] = [];
  try {
    if (blocks.length === 0) throw new Error("no -----BEGIN PGP PRIVATE KEY BLOCK----- found");
    for (const block of blocks) keys.push(...(await pgp.readPrivateKeys({ armoredKeys: block })));
  } catch (err) {
    throw new SopsError(`'${entry}' does not hold an armored PGP private key: ${(err as Error).message}`);
  }
  return keys.map((key) => {
    const fingerprint = key.getFingerprint().toUpperCase();
    const locked = key.getKeys().some((k) => {
      const p = k.keyPacket as { isDummy?: () => boolean; isDecrypted?: () => boolean | null };
      return !p.isDummy?.() && p.isDecrypted?.() === false;
    });
    if (locked) {
      throw new SopsError(
        `PGP key ${fingerprint} in '${entry}' is protected by a passphrase, which SOPS decryption does not support (nor does Flux): store the key without one`,
      );
    }
    return { fingerprint, key };
  });
}

/**
 * The data key in an armored PGP message (a SOPS `sops.pgp[].enc`), or undefined when none of the
 * keys is one the message was encrypted to.
 */
export async function pgpDataKey(enc: string, keys: PgpKey[]): Promise<Buffer | undefined> {
  const pgp = await openpgp();
  let message;
  try {
    message = await pgp.readMessage({ armoredMessage: enc });
  } catch (err) {
    throw new SopsError(`malformed PGP message in sops.pgp: ${(err as Error).message}`);
  }
  const wanted = new Set(message.getEncryptionKeyIDs().map((id) => id.toHex()));
  // An anonymous recipient (key ID 0, gpg --throw-keyids) could be any key.
  const anonymous = wanted.has("0000000000000000");
  const candidates = keys.filter((k) => anonymous || k.key.getKeyIDs().some((id) => wanted.has(id.toHex())));
  if (candidates.length === 0) return undefined;
  try {
    const { data } = await pgp.decrypt({ message, decryptionKeys: candidates.map((k) => k.key), format: "binary" });
    return Buffer.from(data);
  } catch (err) {
    if (anonymous) return undefined;
    throw new SopsError(`PGP key ${candidates.map((k) => k.fingerprint).join(", ")} could not decrypt the data key: ${(err as Error).message}`);
  }
}
