import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { CliError } from "./cli_error.ts";

const run = promisify(execFile);

/** SSH key types `create secret git` can generate, with the ssh-keygen arguments for each. */
export const sshKeyAlgorithms: Record<string, string[]> = {
  ecdsa: ["-t", "ecdsa", "-b", "384"],
  ed25519: ["-t", "ed25519"],
  rsa: ["-t", "rsa", "-b", "4096"],
};

export interface SshIdentity {
  /** The private key (OpenSSH or PEM), as the identity key of a Git Secret. */
  privateKey: string;
  /** authorized_keys line, as identity.pub. */
  publicKey: string;
}

/**
 * Runs an OpenSSH tool; a missing one is one line that says what to install. A passphrase reaches it
 * through SSH_ASKPASS and the child's environment, never its command line (which anyone may read).
 */
async function openssh(tool: string, args: string[], opts: { passphrase?: string; dir?: string; timeoutMs?: number } = {}): Promise<{ stdout: string; stderr: string }> {
  let env: NodeJS.ProcessEnv | undefined;
  if (opts.passphrase !== undefined && opts.dir) {
    const askpass = join(opts.dir, "askpass");
    await writeFile(askpass, '#!/bin/sh\nprintf \'%s\\n\' "$SLUICE_SSH_PASSPHRASE"\n', { mode: 0o700 });
    env = { ...process.env, SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: "force", SLUICE_SSH_PASSPHRASE: opts.passphrase };
  }
  try {
    return await run(tool, args, { timeout: opts.timeoutMs ?? 30_000, maxBuffer: 1024 * 1024, env });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT") throw new CliError(`${tool} is needed here and was not found: install the OpenSSH client (Debian: apt-get install openssh-client)`);
    throw err;
  }
}

async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "sluice-ssh-"));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Reads a private key file and derives its public half with ssh-keygen (from a private copy: ssh-keygen
 * refuses keys others can read). An encrypted key needs its passphrase.
 */
export async function readSshIdentity(path: string, passphrase = ""): Promise<SshIdentity> {
  let privateKey: string;
  try {
    privateKey = await readFile(path, "utf8");
  } catch (err) {
    throw new CliError(`cannot read --private-key-file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(privateKey)) throw new CliError(`--private-key-file ${path} is not a private key: want an OpenSSH or PEM -----BEGIN … PRIVATE KEY----- block`);
  return withTempDir(async (dir) => {
    const copy = join(dir, "identity");
    await writeFile(copy, privateKey.endsWith("\n") ? privateKey : `${privateKey}\n`, { mode: 0o600 });
    try {
      const { stdout } = await openssh("ssh-keygen", ["-y", "-f", copy], { passphrase, dir });
      return { privateKey, publicKey: stdout.trim() };
    } catch (err) {
      if (err instanceof CliError) throw err;
      const stderr = String((err as { stderr?: string }).stderr ?? "");
      if (/passphrase/i.test(stderr)) {
        throw new CliError(passphrase ? `--password is not the passphrase of ${path}` : `${path} is encrypted: give its passphrase with --password`);
      }
      throw new CliError(`--private-key-file ${path} is not a usable SSH private key: ${stderr.trim().split("\n")[0] || "ssh-keygen failed"}`);
    }
  });
}

/** A new key pair made with ssh-keygen, encrypted when a passphrase is given. */
export async function generateSshIdentity(algorithm: string, passphrase = ""): Promise<SshIdentity> {
  return withTempDir(async (dir) => {
    const path = join(dir, "identity");
    // Without -N, ssh-keygen asks for the new passphrase (twice) through askpass.
    const protect = passphrase ? [] : ["-N", ""];
    await openssh("ssh-keygen", ["-q", ...sshKeyAlgorithms[algorithm], ...protect, "-C", "sluice", "-f", path], { passphrase, dir });
    return { privateKey: await readFile(path, "utf8"), publicKey: (await readFile(`${path}.pub`, "utf8")).trim() };
  });
}

/** The known_hosts lines of a file; a file with none is an error. */
export async function readKnownHosts(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new CliError(`cannot read --known-hosts ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const lines = knownHostLines(text);
  if (!lines.length) throw new CliError(`--known-hosts ${path} has no host keys: want lines like "github.com ssh-ed25519 AAAA…"`);
  return `${lines.join("\n")}\n`;
}

/** Asks the server for its host keys with ssh-keyscan, as flux scans the host of the URL. */
export async function scanKnownHosts(host: string, port: number): Promise<string> {
  let stdout = "";
  try {
    ({ stdout } = await openssh("ssh-keyscan", ["-T", "10", "-p", String(port), host], { timeoutMs: 20_000 }));
  } catch (err) {
    if (err instanceof CliError) throw err;
    stdout = String((err as { stdout?: string }).stdout ?? "");
  }
  const lines = knownHostLines(stdout);
  if (!lines.length) throw new CliError(`ssh-keyscan got no host key from ${host}:${port}: check the URL, or give the keys with --known-hosts FILE`);
  return `${lines.join("\n")}\n`;
}

/** "type SHA256:…" for each key of a known_hosts text, as ssh-keygen -l shows them. */
export function hostKeyFingerprints(knownHosts: string): string[] {
  return knownHostLines(knownHosts).map((line) => {
    const [, type, key] = line.split(/\s+/);
    const digest = createHash("sha256").update(Buffer.from(key, "base64")).digest("base64").replace(/=+$/, "");
    return `${type} SHA256:${digest}`;
  });
}

function knownHostLines(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#") && l.split(/\s+/).length >= 3);
}
