import { createHash } from "node:crypto";
import { blake3 } from "@noble/hashes/blake3.js";

/** The digest algorithms artifacts can carry (`<algo>:<hex>`), as Flux names them (--artifact-digest-algo). */
export const digestAlgorithms = ["sha256", "sha384", "sha512", "blake3"] as const;

export type DigestAlgorithm = (typeof digestAlgorithms)[number];

/** Whether `name` is a supported digest algorithm. */
export function isDigestAlgorithm(name: string): name is DigestAlgorithm {
  return (digestAlgorithms as readonly string[]).includes(name);
}

/** Checks an --artifact-digest-algo value. */
export function parseDigestAlgorithm(name: string): DigestAlgorithm {
  const algo = name.trim().toLowerCase();
  if (isDigestAlgorithm(algo)) return algo;
  throw new Error(`unknown digest algorithm ${JSON.stringify(name)}; use one of ${digestAlgorithms.join(", ")}`);
}

/** An incremental hash of one of the digest algorithms. */
export interface Hasher {
  update(chunk: Uint8Array): void;
  /** The digest in lower-case hex (the `<hex>` of `<algo>:<hex>`). */
  hex(): string;
}

/**
 * A new hasher for `algo`: node:crypto for the SHA-2 family, @noble/hashes for blake3 (32-byte
 * output, as Flux's digests have), which node:crypto lacks.
 */
export function newHasher(algo: DigestAlgorithm): Hasher {
  if (algo === "blake3") {
    const h = blake3.create();
    return { update: (chunk) => void h.update(chunk), hex: () => Buffer.from(h.digest()).toString("hex") };
  }
  const h = createHash(algo);
  return { update: (chunk) => void h.update(chunk), hex: () => h.digest("hex") };
}
