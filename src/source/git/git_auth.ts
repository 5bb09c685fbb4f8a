import { ReasonedError } from "../reasoned_error.ts";

/** Credentials for one Git remote, taken from the GitRepository's Secrets. */
export interface GitAuth {
  username?: string;
  password?: string;
  bearerToken?: string;
  caCert?: string;
  tlsCert?: string;
  tlsKey?: string;
  /** SSH private key, its passphrase and the known_hosts lines to trust. */
  identity?: string;
  passphrase?: string;
  knownHosts?: string;
  proxy?: { address: string; username?: string; password?: string };
}

/** A Secret that cannot be used; the message names the Secret and the key at fault. */
export class GitAuthError extends ReasonedError {
  /** `reason` (Flux's): AuthenticationFailed, or InvalidProviderConfiguration. */
  constructor(message: string, reason = "AuthenticationFailed") {
    super(reason, message);
  }
}

export interface SecretData {
  /** namespace/name, for messages. */
  ref: string;
  data: Record<string, string>;
}

/** Checks the keys Flux reads for `url`'s transport and returns the credentials. */
export function gitAuthFromSecret(url: URL, secret?: SecretData, proxy?: SecretData): GitAuth {
  const auth: GitAuth = {};
  const d = secret?.data ?? {};
  const ssh = url.protocol === "ssh:";
  if (secret) {
    const where = `Secret '${secret.ref}'`;
    if (d.githubAppID !== undefined) throw new GitAuthError(`${where} has github app data but provider is not set to github`, "InvalidProviderConfiguration");
    if (ssh) {
      if (!d.identity) throw new GitAuthError(`${where} has no 'identity' key: SSH needs a private key`);
      if (!d.known_hosts) throw new GitAuthError(`${where} has no 'known_hosts' key: SSH needs it to check the server's host key`);
      auth.identity = d.identity;
      auth.knownHosts = d.known_hosts;
      auth.passphrase = d.password || undefined;
      if (isEncryptedKey(d.identity) && !auth.passphrase) {
        throw new GitAuthError(`${where}: SSH identity key is encrypted but no 'password' field (the passphrase) is set`);
      }
    } else {
      if (d.password !== undefined && d.username === undefined) throw new GitAuthError(`${where} has a 'password' but no 'username' key`);
      if (d.username !== undefined && d.password === undefined) throw new GitAuthError(`${where} has a 'username' but no 'password' key`);
      if (d.bearerToken !== undefined && d.username !== undefined) {
        throw new GitAuthError(`${where} has both 'bearerToken' and 'username'/'password'; use one`);
      }
      auth.username = d.username;
      auth.password = d.password;
      auth.bearerToken = d.bearerToken;
      auth.caCert = d["ca.crt"] ?? d.caFile;
      const cert = d["tls.crt"] ?? d.certFile;
      const key = d["tls.key"] ?? d.keyFile;
      if ((cert === undefined) !== (key === undefined)) throw new GitAuthError(`${where} must have both 'tls.crt' and 'tls.key', or neither`);
      auth.tlsCert = cert;
      auth.tlsKey = key;
      if (!auth.username && !auth.bearerToken && !auth.caCert && !auth.tlsCert) {
        throw new GitAuthError(`${where} has none of the keys 'username'/'password', 'bearerToken', 'ca.crt' or 'tls.crt'/'tls.key'`);
      }
    }
  }
  if (!ssh && !auth.username && url.username) {
    auth.username = decodeURIComponent(url.username);
    auth.password = decodeURIComponent(url.password);
  }
  if (proxy) {
    const p = proxy.data;
    if (!p.address) throw new GitAuthError(`proxy Secret '${proxy.ref}' has no 'address' key`);
    if ((p.username === undefined) !== (p.password === undefined)) throw new GitAuthError(`proxy Secret '${proxy.ref}' must have both 'username' and 'password', or neither`);
    auth.proxy = { address: p.address, username: p.username, password: p.password };
  }
  return auth;
}

/** Every credential value, to be scrubbed from any text shown to users. */
export function authSecrets(auth: GitAuth): string[] {
  return [auth.password, auth.bearerToken, auth.tlsKey, auth.identity, auth.passphrase, auth.proxy?.password].filter(
    (s): s is string => !!s,
  );
}

function isEncryptedKey(pem: string): boolean {
  if (/Proc-Type: 4,ENCRYPTED|BEGIN ENCRYPTED PRIVATE KEY/.test(pem)) return true;
  const m = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(pem);
  if (!m) return false;
  const raw = Buffer.from(m[1].replace(/\s+/g, ""), "base64");
  // openssh-key-v1\0, then a length-prefixed cipher name: "none" for unencrypted keys.
  const magic = "openssh-key-v1\0".length;
  if (raw.length < magic + 4) return false;
  const len = raw.readUInt32BE(magic);
  return raw.subarray(magic + 4, magic + 4 + len).toString() !== "none";
}
