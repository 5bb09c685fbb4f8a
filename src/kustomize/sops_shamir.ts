/**
 * Shamir secret sharing over GF(2^8) in the share format SOPS uses for several key groups (that
 * of HashiCorp Vault's shamir package): a share is the polynomials' values, one byte per secret
 * byte, followed by one byte holding the share's x coordinate (never 0). The field is AES's
 * (reduction polynomial x^8 + x^4 + x^3 + x + 1).
 */
import { randomBytes } from "node:crypto";
import { SopsError } from "./sops_error.ts";

// Powers of the generator 3 and their logarithms: a product is a sum of logarithms.
const exp = new Uint8Array(510);
const log = new Uint8Array(256);
{
  let v = 1;
  for (let i = 0; i < 255; i++) {
    exp[i] = exp[i + 255] = v;
    log[v] = i;
    // v * 3 = v * 2 + v, with v * 2 reduced by the field's polynomial.
    v ^= (v << 1) ^ (v & 0x80 ? 0x11b : 0);
  }
}

function mul(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : exp[log[a] + log[b]];
}

function div(a: number, b: number): number {
  return a === 0 ? 0 : exp[log[a] + 255 - log[b]];
}

/**
 * The secret behind `shares` (at least the threshold they were made with; more do no harm).
 * Throws a SopsError on shares that cannot be from one split: fewer than two, unequal lengths,
 * a repeated x coordinate.
 */
export function shamirCombine(shares: Uint8Array[]): Buffer {
  if (shares.length < 2) throw new SopsError(`Shamir shares: need at least 2 to combine, got ${shares.length}`);
  const len = shares[0].length;
  if (len < 2 || shares.some((s) => s.length !== len)) throw new SopsError("Shamir shares: they differ in length or are too short");
  const xs = shares.map((s) => s[len - 1]);
  if (xs.includes(0) || new Set(xs).size !== xs.length) throw new SopsError("Shamir shares: a share's x coordinate is 0 or repeated");
  // Lagrange basis at x = 0 for each share: prod over the others of x_m / (x_j - x_m); minus is xor.
  const basis = xs.map((xj, j) => xs.reduce((acc, xm, m) => (m === j ? acc : mul(acc, div(xm, xj ^ xm))), 1));
  const secret = Buffer.alloc(len - 1);
  for (let i = 0; i < len - 1; i++) {
    let y = 0;
    for (let j = 0; j < shares.length; j++) y ^= mul(shares[j][i], basis[j]);
    secret[i] = y;
  }
  return secret;
}

/** Splits `secret` into `count` shares any `threshold` of which give it back (tests make key-group files with it). */
export function shamirSplit(secret: Uint8Array, count: number, threshold: number): Buffer[] {
  if (count < 2 || count > 255 || threshold < 2 || threshold > count) throw new RangeError(`Shamir: cannot split into ${count} shares with threshold ${threshold}`);
  // Distinct random x coordinates in 1..255.
  const xs: number[] = [];
  while (xs.length < count) {
    const x = randomBytes(1)[0];
    if (x !== 0 && !xs.includes(x)) xs.push(x);
  }
  const shares = xs.map((x) => {
    const s = Buffer.alloc(secret.length + 1);
    s[secret.length] = x;
    return s;
  });
  for (let i = 0; i < secret.length; i++) {
    // A random polynomial of degree threshold - 1 whose value at 0 is the secret byte.
    const coeffs = [secret[i], ...randomBytes(threshold - 1)];
    shares.forEach((s, k) => {
      let y = 0;
      for (let c = coeffs.length - 1; c >= 0; c--) y = mul(y, xs[k]) ^ coeffs[c];
      s[i] = y;
    });
  }
  return shares;
}
