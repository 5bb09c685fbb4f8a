/** The digest algorithms artifacts can carry (`<algo>:<hex>`), as node:crypto names them. */
export const digestAlgorithms = ["sha256", "sha384", "sha512"] as const;

export type DigestAlgorithm = (typeof digestAlgorithms)[number];

/** Whether `name` is a supported digest algorithm. */
export function isDigestAlgorithm(name: string): name is DigestAlgorithm {
  return (digestAlgorithms as readonly string[]).includes(name);
}

/**
 * Checks an --artifact-digest-algo value. Flux also offers blake3, which node:crypto lacks;
 * it is refused with a message saying so rather than silently replaced.
 */
export function parseDigestAlgorithm(name: string): DigestAlgorithm {
  const algo = name.trim().toLowerCase();
  if (isDigestAlgorithm(algo)) return algo;
  const known = digestAlgorithms.join(", ");
  if (algo === "blake3") throw new Error(`digest algorithm 'blake3' is not supported by Sluice yet; use one of ${known}`);
  throw new Error(`unknown digest algorithm ${JSON.stringify(name)}; use one of ${known}`);
}
