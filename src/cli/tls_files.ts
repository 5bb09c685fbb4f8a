import { createPrivateKey, type KeyObject, X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { CliError } from "./cli_error.ts";

/** --tls-crt-file, --tls-key-file, --ca-crt-file, as flux names them. */
export interface TlsFileFlags {
  tlsCrtFile?: string;
  tlsKeyFile?: string;
  caCrtFile?: string;
}

export function withTlsFileFlags(cmd: Command): Command {
  return cmd
    .option("--tls-crt-file <file>", "PEM client certificate (tls.crt), with --tls-key-file")
    .option("--tls-key-file <file>", "PEM private key of the client certificate (tls.key)")
    .option("--ca-crt-file <file>", "PEM certificate authority to trust (ca.crt)");
}

export function hasTlsFiles(flags: TlsFileFlags): boolean {
  return Boolean(flags.tlsCrtFile || flags.tlsKeyFile || flags.caCrtFile);
}

/**
 * Reads and checks the TLS files into Secret keys tls.crt, tls.key and ca.crt: each must be PEM, the
 * certificate and key come together and must belong to each other.
 */
export async function readTlsFiles(flags: TlsFileFlags): Promise<Record<string, string>> {
  if (Boolean(flags.tlsCrtFile) !== Boolean(flags.tlsKeyFile)) throw new CliError("--tls-crt-file and --tls-key-file go together: the client certificate and its key");
  const out: Record<string, string> = {};
  if (flags.tlsCrtFile && flags.tlsKeyFile) {
    const crt = await readPem(flags.tlsCrtFile, "--tls-crt-file");
    const key = await readPem(flags.tlsKeyFile, "--tls-key-file");
    const cert = certificate(crt, flags.tlsCrtFile, "--tls-crt-file");
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey(key);
    } catch {
      throw new CliError(`--tls-key-file ${flags.tlsKeyFile} is not a PEM private key (an encrypted key is not supported)`);
    }
    if (!cert.checkPrivateKey(privateKey)) throw new CliError(`--tls-key-file ${flags.tlsKeyFile} is not the key of the certificate in ${flags.tlsCrtFile}`);
    out["tls.crt"] = crt;
    out["tls.key"] = key;
  }
  if (flags.caCrtFile) {
    const ca = await readPem(flags.caCrtFile, "--ca-crt-file");
    certificate(ca, flags.caCrtFile, "--ca-crt-file");
    out["ca.crt"] = ca;
  }
  return out;
}

export async function readPem(path: string, flag: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new CliError(`cannot read ${flag} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (!text.includes("-----BEGIN ")) throw new CliError(`${flag} ${path} is not PEM: want a -----BEGIN …----- block`);
  return text;
}

function certificate(pem: string, path: string, flag: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw new CliError(`${flag} ${path} is not a PEM certificate`);
  }
}
