import { setFlagsFromString } from "node:v8";

/** A user-supplied regular expression that cannot be compiled. */
export class LinearRegExpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LinearRegExpError";
  }
}

let linear: boolean | undefined;

/**
 * Compiles a user-supplied regular expression for V8's linear-time engine (the `l` flag), so a
 * pattern like `(a+)+$` cannot make a match take exponential time. That engine takes the RE2-like
 * subset (no backreferences, lookarounds or inline flags); other patterns are refused with a
 * LinearRegExpError saying so. The engine is behind a V8 flag, enabled here on first use.
 */
export function linearRegExp(source: string, flags = ""): RegExp {
  if (linear === undefined) {
    setFlagsFromString("--enable-experimental-regexp-engine");
    linear = true;
    try {
      new RegExp("", "l");
    } catch {
      linear = false;
    }
  }
  try {
    new RegExp(source, flags);
  } catch (err) {
    // V8 says "Invalid regular expression: /<source>/<flags>: <why>"; the caller names the pattern.
    throw new LinearRegExpError(`invalid regular expression: ${(err as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, "")}`);
  }
  if (!linear) return new RegExp(source, flags);
  try {
    return new RegExp(source, `${flags}l`);
  } catch {
    throw new LinearRegExpError("unsupported regular expression: backreferences, lookarounds, inline flags and huge repetitions cannot be matched in linear time");
  }
}

/** Whether linearRegExp compiles for the linear-time engine (false only if this V8 lacks it). */
export function hasLinearEngine(): boolean {
  linearRegExp("");
  return linear === true;
}
