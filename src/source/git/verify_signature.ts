import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { GitSession } from "./git_session.ts";
import { ReasonedError } from "../reasoned_error.ts";
import { GitCommandError } from "./run_git.ts";

const exec = promisify(execFile);

/** Public keys from the verification Secret: `*.sshpub` entries are SSH keys, the rest PGP. */
export interface TrustedKeys {
  pgp: string[];
  ssh: string[];
}

export type SignatureFailureReason = "InvalidCommitSignature" | "InvalidTagSignature" | "InvalidGitObject";

/** A missing or bad signature, with Flux's reason. */
export class SignatureError extends ReasonedError<SignatureFailureReason> {}

export function trustedKeysFromSecret(data: Record<string, string>): TrustedKeys {
  const keys: TrustedKeys = { pgp: [], ssh: [] };
  for (const [name, value] of Object.entries(data)) {
    if (name.endsWith(".sshpub")) keys.ssh.push(...value.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#")));
    else keys.pgp.push(value);
  }
  return keys;
}

/**
 * Checks the signature of HEAD (what = "commit") or of a tag in a checkout with git
 * verify-commit / verify-tag, against only the given keys: PGP keys in a throwaway GNUPGHOME,
 * SSH keys as an allowed_signers file. Returns the key ID (PGP) or fingerprint (SSH).
 */
export async function verifySignature(session: GitSession, dir: string, what: { commit: true } | { tag: string }, keys: TrustedKeys): Promise<string> {
  const isTag = "tag" in what;
  const label = isTag ? `tag '${what.tag}'` : "commit";
  const object = isTag
    ? (await session.run(["-C", dir, "cat-file", "-t", `refs/tags/${what.tag}`])).stdout.trim()
    : "commit";
  if (isTag && object !== "tag") {
    throw new SignatureError("InvalidGitObject", `${label} is a lightweight tag and carries no signature`);
  }
  const raw = (await session.run(["-C", dir, "cat-file", object, isTag ? `refs/tags/${what.tag}` : "HEAD"])).stdout;
  const bad = isTag ? "InvalidTagSignature" : "InvalidCommitSignature";
  const type = /-----BEGIN SSH SIGNATURE-----/.test(raw) ? "ssh" : /-----BEGIN PGP SIGNATURE-----/.test(raw) ? "pgp" : undefined;
  if (!type) throw new SignatureError(isTag ? "InvalidGitObject" : bad, `${label} is not signed`);
  if (keys[type].length === 0) {
    throw new SignatureError(bad, `${label} has a ${type === "ssh" ? "SSH" : "PGP"} signature but the Secret holds no ${type === "ssh" ? "SSH (*.sshpub)" : "PGP"} keys`);
  }
  const home = await mkdtemp(join(tmpdir(), "sluice-verify-"));
  try {
    const env: Record<string, string> = {};
    const config: string[] = [];
    if (type === "pgp") {
      env.GNUPGHOME = home;
      const keyFile = join(home, "keys.asc");
      await writeFile(keyFile, keys.pgp.join("\n"), { mode: 0o600 });
      // No agent, keyboxd or dirmngr: verifying with public keys needs none, and none may outlive the check.
      await exec("gpg", ["--batch", "--quiet", "--no-autostart", "--import", keyFile], { env: { ...process.env, GNUPGHOME: home } }).catch(() => undefined);
      const wrapper = join(home, "gpg");
      await writeFile(wrapper, `#!/bin/sh\nexec gpg --no-autostart "$@"\n`, { mode: 0o700 });
      config.push("-c", `gpg.openpgp.program=${wrapper}`);
    } else {
      const signers = keys.ssh.map((k) => `* namespaces="git" ${k.split(/\s+/).slice(0, 2).join(" ")}`).join("\n");
      await writeFile(join(home, "allowed_signers"), `${signers}\n`, { mode: 0o600 });
      config.push("-c", `gpg.ssh.allowedSignersFile=${join(home, "allowed_signers")}`);
    }
    const args = [...config, "-C", dir, isTag ? "verify-tag" : "verify-commit", "--raw", isTag ? `refs/tags/${what.tag}` : "HEAD"];
    let output: string;
    try {
      output = (await session.run(args, env)).stderr;
    } catch (err) {
      const why = err instanceof GitCommandError ? summary(err.stderr) : String(err);
      throw new SignatureError(bad, `signature of ${label} does not verify against any key in the Secret${why ? ` (${why})` : ""}`);
    }
    const pgp = /VALIDSIG ([0-9A-F]{40})/.exec(output);
    if (pgp) return pgp[1].slice(-16);
    const ssh = /key (SHA256:[A-Za-z0-9+/=]+)/.exec(output);
    if (ssh) return ssh[1];
    throw new SignatureError(bad, `signature of ${label} could not be verified: ${summary(output)}`);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

function summary(stderr: string): string {
  return stderr
    .split("\n")
    .map((l) => l.replace(/^\[GNUPG:\]\s*/, "").trim())
    .filter((l) => l && !/^(NEWSIG|KEY_CONSIDERED|TRUST_|VERIFICATION_COMPLIANCE|SIG_ID|PLAINTEXT)/.test(l))
    .slice(0, 3)
    .join("; ");
}
