import { Command, Option } from "commander";
import { CliError } from "./cli_error.ts";
import { type ExportFlags, withExportFlags } from "./create_flags.ts";
import { parseGitUrl } from "./create_source_git_command.ts";
import { parseObjectName } from "./object_name.ts";
import { Reporter } from "./reporter.ts";
import { basicAuthData, createSecret } from "./secret_object.ts";
import { generateSshIdentity, hostKeyFingerprints, readKnownHosts, readSshIdentity, scanKnownHosts, sshKeyAlgorithms } from "./ssh_credentials.ts";
import { hasTlsFiles, readTlsFiles, type TlsFileFlags, withTlsFileFlags } from "./tls_files.ts";

interface GitSecretFlags extends ExportFlags, TlsFileFlags {
  url: string;
  username?: string;
  password?: string;
  bearerToken?: string;
  privateKeyFile?: string;
  sshKeyAlgorithm?: string;
  knownHosts?: string;
}

const examples = `
Examples:
  sluice create secret git podinfo-auth --url https://github.com/org/podinfo --username git --password "$GITHUB_TOKEN"
  sluice create secret git podinfo-auth --url https://git.example.com/org/podinfo --bearer-token "$TOKEN" --ca-crt-file ./ca.crt
  sluice create secret git podinfo-ssh --url ssh://git@github.com/org/podinfo --private-key-file ~/.ssh/id_ed25519
  sluice create secret git podinfo-ssh --url ssh://git@git.example.com:2222/org/podinfo --private-key-file ./id --known-hosts ./known_hosts
  sluice create secret git deploy --url ssh://git@github.com/org/podinfo --export > deploy.yaml   # new key pair; add the printed deploy key

For ssh:// the Secret holds identity, identity.pub and known_hosts. Without --known-hosts the host
keys are fetched with ssh-keyscan from the URL's host and port, and their fingerprints printed: check
them. Without --private-key-file a new key pair is made (--ssh-key-algorithm) and its public key printed.
`;

export function createSecretGitCommand(): Command {
  const cmd = new Command("git")
    .description("create or update a Secret with Git credentials: basic auth, a bearer token, TLS files or an SSH key")
    .argument("<name>", "name of the Secret", parseObjectName)
    .addOption(new Option("--url <url>", "the repository address: http(s):// or ssh://").argParser(parseGitUrl).makeOptionMandatory())
    .option("-u, --username <username>", "basic authentication username (http/https)")
    .option("-p, --password <password>", "basic authentication password (http/https), or the passphrase of the SSH private key")
    .option("--bearer-token <token>", "bearer token for Authorization: Bearer (http/https)")
    .option("--private-key-file <file>", "SSH private key (ssh://); without it a new key pair is made")
    .addOption(new Option("--ssh-key-algorithm <algorithm>", "type of a newly made SSH key (default: ecdsa, P-384)").choices(Object.keys(sshKeyAlgorithms)))
    .option("--known-hosts <file>", "known_hosts lines for the SSH host (default: ssh-keyscan the URL's host)");
  withTlsFileFlags(cmd);
  withExportFlags(cmd);
  return cmd.addHelpText("after", examples).action(async (name: string, flags: GitSecretFlags) => {
    const data = await gitSecretData(flags, new Reporter());
    await createSecret(name, flags, data);
  });
}

/** The Secret keys source-controller reads for the URL's transport, from the flags (files read and checked). */
export async function gitSecretData(flags: GitSecretFlags, reporter: Reporter): Promise<Record<string, string>> {
  const url = new URL(flags.url);
  if (url.protocol === "ssh:") {
    const httpOnly = [flags.username && "--username", flags.bearerToken && "--bearer-token", hasTlsFiles(flags) && "TLS files"].filter(Boolean);
    if (httpOnly.length) throw new CliError(`${httpOnly.join(", ")} ${httpOnly.length > 1 ? "are" : "is"} for http(s) URLs; over SSH the user comes from the URL and the key from --private-key-file`);
    if (flags.privateKeyFile && flags.sshKeyAlgorithm) throw new CliError("--ssh-key-algorithm is for a new key pair: drop it or --private-key-file");
    const identity = flags.privateKeyFile
      ? await readSshIdentity(flags.privateKeyFile, flags.password)
      : await generateSshIdentity(flags.sshKeyAlgorithm ?? "ecdsa", flags.password);
    if (!flags.privateKeyFile) reporter.generate(`deploy key: ${identity.publicKey}`);
    const port = Number(url.port || 22);
    let knownHosts: string;
    if (flags.knownHosts) knownHosts = await readKnownHosts(flags.knownHosts);
    else {
      reporter.action(`scanning the host keys of ${url.hostname}:${port}`);
      knownHosts = await scanKnownHosts(url.hostname, port);
      for (const fp of hostKeyFingerprints(knownHosts)) reporter.success(`host key ${fp}`);
    }
    return {
      identity: identity.privateKey,
      "identity.pub": identity.publicKey,
      known_hosts: knownHosts,
      ...(flags.password ? { password: flags.password } : {}),
    };
  }
  const sshOnly = [flags.privateKeyFile && "--private-key-file", flags.sshKeyAlgorithm && "--ssh-key-algorithm", flags.knownHosts && "--known-hosts"].filter(Boolean);
  if (sshOnly.length) throw new CliError(`${sshOnly.join(", ")} ${sshOnly.length > 1 ? "are" : "is"} for ssh:// URLs, got ${flags.url}`);
  const basic = basicAuthData(flags);
  if (flags.bearerToken && flags.username) throw new CliError("give --username and --password, or --bearer-token, not both");
  const tls = await readTlsFiles(flags);
  if (!flags.username && !flags.bearerToken && !Object.keys(tls).length) {
    throw new CliError(`an ${url.protocol.slice(0, -1)}:// URL needs --username and --password, --bearer-token, or TLS files (--ca-crt-file, --tls-crt-file with --tls-key-file)`);
  }
  if (url.protocol === "http:" && (flags.username || flags.bearerToken)) {
    reporter.warning(`credentials for ${url.host} would cross the network unencrypted over http://`);
  }
  return {
    ...basic,
    ...(flags.bearerToken ? { bearerToken: flags.bearerToken } : {}),
    ...tls,
  };
}
