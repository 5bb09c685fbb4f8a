import { InvalidArgumentError } from "commander";
import { parseDuration } from "../api/duration.ts";

export function parseIntFlag(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`want a whole number, got ${JSON.stringify(value)}`);
  return n;
}

/** A Go duration (30s, 1m30s, 2h) in milliseconds. */
export function parseDurationFlag(value: string): number {
  try {
    return parseDuration(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}
