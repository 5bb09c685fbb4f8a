import { createInterface } from "node:readline/promises";
import { CliError } from "./cli_error.ts";

/**
 * Asks a yes/no question on the terminal; anything but y/yes is no. Without a terminal there is
 * nobody to ask, so the caller must have been told to go ahead (--silent).
 */
export async function confirm(question: string, hint = "pass --silent to skip this question"): Promise<boolean> {
  if (!process.stdin.isTTY) throw new CliError(`cannot ask "${question}": stdin is not a terminal; ${hint}`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
