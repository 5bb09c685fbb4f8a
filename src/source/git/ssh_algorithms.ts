import { execFile } from "node:child_process";
import { promisify } from "node:util";

const exec = promisify(execFile);

/** The algorithm restrictions for git over SSH (--ssh-kex-algos, --ssh-hostkey-algos). */
export interface SshAlgorithms {
  /** ssh's KexAlgorithms; empty or absent = ssh's defaults. */
  kex?: string[];
  /** ssh's HostKeyAlgorithms; empty or absent = ssh's defaults. */
  hostKey?: string[];
}

/** A comma-separated flag value as a list of algorithm names; refuses anything that is not a name. */
export function parseSshAlgorithmList(value: string): string[] {
  const names = value.split(",").map((s) => s.trim()).filter(Boolean);
  for (const n of names) {
    if (!/^[A-Za-z0-9][A-Za-z0-9@._-]*$/.test(n)) throw new Error(`${JSON.stringify(n)} is not an SSH algorithm name`);
  }
  return names;
}

/**
 * Checks the names against what the installed ssh knows (`ssh -Q kex`, `ssh -Q HostKeyAlgorithms`),
 * so a typo fails at start-up instead of every SSH fetch. Without an ssh binary nothing is checked:
 * SSH remotes fail on their own then.
 */
export async function checkSshAlgorithms(algos: SshAlgorithms): Promise<void> {
  const lists: Array<[string, string, string[] | undefined]> = [
    ["--ssh-kex-algos", "kex", algos.kex],
    ["--ssh-hostkey-algos", "HostKeyAlgorithms", algos.hostKey],
  ];
  for (const [flag, query, names] of lists) {
    if (!names?.length) continue;
    const known = await exec("ssh", ["-Q", query]).then(
      (r) => new Set(r.stdout.split("\n").map((l) => l.trim()).filter(Boolean)),
      () => undefined,
    );
    if (!known) continue;
    const unknown = names.filter((n) => !known.has(n));
    if (unknown.length > 0) {
      throw new Error(`${flag}: ${unknown.map((n) => `'${n}'`).join(", ")} not supported by this ssh (\`ssh -Q ${query}\` lists: ${[...known].join(", ")})`);
    }
  }
}
