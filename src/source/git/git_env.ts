import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { GitAuth } from "./git_auth.ts";
import type { SshAlgorithms } from "./ssh_algorithms.ts";

const systemCaBundle = "/etc/ssl/certs/ca-certificates.crt";

/**
 * The environment for git commands against one remote. Credentials go to 0600 files in `dir`
 * (a private temp directory) or to GIT_CONFIG_* variables, never to the command line: basic
 * auth through GIT_ASKPASS, bearer tokens as http.extraHeader, TLS material as files, SSH
 * through GIT_SSH_COMMAND with a temp identity and known_hosts (and the algorithm restrictions
 * of --ssh-kex-algos / --ssh-hostkey-algos). The user's and the system's git config are ignored,
 * and only http(s) and ssh transports are allowed (also for submodules).
 */
export async function gitEnv(auth: GitAuth, dir: string, sshAlgorithms: SshAlgorithms = {}): Promise<Record<string, string>> {
  const config: Array<[string, string]> = [
    ["protocol.allow", "never"],
    ["protocol.https.allow", "always"],
    ["protocol.http.allow", "always"],
    ["protocol.ssh.allow", "always"],
    ["advice.detachedHead", "false"],
    ["init.defaultBranch", "main"],
    ["core.hooksPath", "/dev/null"],
  ];
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: dir,
    LANG: "C",
    LC_ALL: "C",
    GIT_TERMINAL_PROMPT: "0",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_PROTOCOL_FROM_USER: "0",
  };
  const file = async (name: string, content: string) => {
    const path = join(dir, name);
    await writeFile(path, content.endsWith("\n") ? content : `${content}\n`, { mode: 0o600 });
    return path;
  };

  if (auth.username !== undefined) {
    await file("username", auth.username);
    await file("password", auth.password ?? "");
    // git asks for "Username for '…'" and "Password for '…'"; answer from the files.
    const script = `#!/bin/sh\ncase "$1" in\n  Username*) cat '${join(dir, "username")}' ;;\n  *) cat '${join(dir, "password")}' ;;\nesac\n`;
    await writeFile(join(dir, "askpass"), script, { mode: 0o700 });
    env.GIT_ASKPASS = join(dir, "askpass");
  }
  if (auth.bearerToken) config.push(["http.extraHeader", `Authorization: Bearer ${auth.bearerToken}`]);
  if (auth.caCert) {
    const system = existsSync(systemCaBundle) ? await readFile(systemCaBundle, "utf8") : "";
    config.push(["http.sslCAInfo", await file("ca.crt", `${system}\n${auth.caCert}`)]);
  }
  if (auth.tlsCert && auth.tlsKey) {
    config.push(["http.sslCert", await file("tls.crt", auth.tlsCert)]);
    config.push(["http.sslKey", await file("tls.key", auth.tlsKey)]);
  }
  if (auth.proxy) {
    const proxy = new URL(auth.proxy.address);
    if (auth.proxy.username !== undefined) {
      proxy.username = encodeURIComponent(auth.proxy.username);
      proxy.password = encodeURIComponent(auth.proxy.password ?? "");
    }
    config.push(["http.proxy", proxy.toString()]);
  }

  const ssh = ["ssh", "-F", "/dev/null", "-o", "GlobalKnownHostsFile=/dev/null", "-o", "StrictHostKeyChecking=yes"];
  ssh.push("-o", "PasswordAuthentication=no", "-o", "KbdInteractiveAuthentication=no", "-o", "ConnectTimeout=30");
  ssh.push("-o", `UserKnownHostsFile=${auth.knownHosts ? await file("known_hosts", auth.knownHosts) : "/dev/null"}`);
  if (sshAlgorithms.kex?.length) ssh.push("-o", `KexAlgorithms=${sshAlgorithms.kex.join(",")}`);
  if (sshAlgorithms.hostKey?.length) ssh.push("-o", `HostKeyAlgorithms=${sshAlgorithms.hostKey.join(",")}`);
  if (auth.identity) {
    ssh.push("-o", "IdentitiesOnly=yes", "-i", await file("identity", auth.identity));
  }
  if (auth.passphrase) {
    await file("passphrase", auth.passphrase);
    await writeFile(join(dir, "ssh-askpass"), `#!/bin/sh\ncat '${join(dir, "passphrase")}'\n`, { mode: 0o700 });
    env.SSH_ASKPASS = join(dir, "ssh-askpass");
    env.SSH_ASKPASS_REQUIRE = "force";
    env.DISPLAY = ":0";
  } else {
    ssh.push("-o", "BatchMode=yes");
  }
  env.GIT_SSH_COMMAND = ssh.map(shellQuote).join(" ");

  env.GIT_CONFIG_COUNT = String(config.length);
  config.forEach(([k, v], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = k;
    env[`GIT_CONFIG_VALUE_${i}`] = v;
  });
  return env;
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_\-./=:,@]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
