/**
 * Real Git servers for tests, on loopback: smart HTTP through git-http-backend (basic auth,
 * bearer token, HTTPS with a self-signed CA, client certificates) and SSH through an
 * unprivileged sshd; plus helpers to make repositories, commits, tags and signatures.
 */
import { execFile, spawn } from "node:child_process";
import { createServer as createHttpServer } from "node:http";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

import { freePort } from "../../src/dev/free_ports.ts";

export { type GitHttpServer, type GitHttpServerOptions, type HttpAuth, startGitHttpServer } from "../../src/dev/git_http_server.ts";

const exec = promisify(execFile);
const sshd = "/usr/sbin/sshd";

const identityEnv = {
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.com",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.com",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
};

/** Runs git and returns stdout (trimmed). */
export async function git(cwd: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await exec("git", args, { cwd, env: { ...process.env, ...identityEnv, ...env }, maxBuffer: 64 * 1024 * 1024 });
  return stdout.trim();
}

/** A directory of bare repositories, each with a work tree to commit from. */
export class GitFixtures {
  readonly root: string;
  readonly #work: string;

  private constructor(root: string, work: string) {
    this.root = root;
    this.#work = work;
  }

  static async create(): Promise<GitFixtures> {
    const base = await mkdtemp(join(tmpdir(), "sluice-git-"));
    await mkdir(join(base, "repos"));
    await mkdir(join(base, "work"));
    return new GitFixtures(join(base, "repos"), join(base, "work"));
  }

  /** An empty bare repository `<name>.git` with a work tree whose default branch is `branch`. */
  async repo(name: string, branch = "main"): Promise<TestRepo> {
    const bare = join(this.root, `${name}.git`);
    const work = join(this.#work, name);
    await exec("git", ["init", "-q", "--bare", "-b", branch, bare]);
    await exec("git", ["init", "-q", "-b", branch, work]);
    await git(work, ["remote", "add", "origin", bare]);
    return new TestRepo(bare, work, branch);
  }

  async cleanup(): Promise<void> {
    await rm(dirname(this.root), { recursive: true, force: true });
  }
}

export interface SignWith {
  /** A gpg key (from gpgKey()). */
  gpg?: GpgKey;
  /** An SSH key (from sshKey()). */
  ssh?: SshKeyPair;
}

export class TestRepo {
  readonly bare: string;
  readonly work: string;
  branch: string;

  constructor(bare: string, work: string, branch: string) {
    this.bare = bare;
    this.work = work;
    this.branch = branch;
  }

  /** Writes files (relative paths; null deletes), commits them and pushes. Returns the commit sha. */
  async commit(files: Record<string, string | Buffer | null>, message = "change", sign?: SignWith): Promise<string> {
    for (const [path, content] of Object.entries(files)) {
      const abs = join(this.work, path);
      if (content === null) {
        await rm(abs, { force: true, recursive: true });
        continue;
      }
      await mkdir(dirname(abs), { recursive: true });
      await writeFile(abs, content);
    }
    await git(this.work, ["add", "-A"]);
    await git(this.work, [...signArgs(sign), "commit", "-q", "--allow-empty", ...(sign ? ["-S"] : []), "-m", message], signEnv(sign));
    await this.push();
    return git(this.work, ["rev-parse", "HEAD"]);
  }

  async checkout(branch: string, create = true): Promise<void> {
    await git(this.work, ["checkout", "-q", ...(create ? ["-B"] : []), branch]);
    this.branch = branch;
  }

  /** Creates (or moves) a tag on HEAD; annotated when a message or signature is given. */
  async tag(name: string, opts: { message?: string; sign?: SignWith } = {}): Promise<void> {
    const annotated = opts.message !== undefined || opts.sign !== undefined;
    const args = annotated ? ["tag", "-f", ...(opts.sign ? ["-s"] : ["-a"]), "-m", opts.message ?? name, name] : ["tag", "-f", name];
    await git(this.work, [...signArgs(opts.sign), ...args], signEnv(opts.sign));
    await git(this.work, ["push", "-q", "-f", "origin", `refs/tags/${name}`]);
  }

  async push(): Promise<void> {
    await git(this.work, ["push", "-q", "-f", "origin", `HEAD:refs/heads/${this.branch}`]);
  }

  head(): Promise<string> {
    return git(this.work, ["rev-parse", "HEAD"]);
  }
}

function signArgs(sign?: SignWith): string[] {
  if (sign?.gpg) return ["-c", `user.signingkey=${sign.gpg.fingerprint}`, "-c", "gpg.format=openpgp"];
  if (sign?.ssh) return ["-c", `user.signingkey=${sign.ssh.privateKeyPath}`, "-c", "gpg.format=ssh"];
  return [];
}

function signEnv(sign?: SignWith): Record<string, string> {
  return sign?.gpg ? { GNUPGHOME: sign.gpg.home } : {};
}

export interface GpgKey {
  home: string;
  fingerprint: string;
  /** Long key ID (last 16 hex digits of the fingerprint). */
  keyId: string;
  /** ASCII-armored public key. */
  publicKey: string;
  /** Stops the key's gpg-agent and removes its home. */
  remove(): Promise<void>;
}

/** A fresh ed25519 signing key in its own GNUPGHOME; call remove() when done (it stops the gpg-agent). */
export async function gpgKey(name = "Signer"): Promise<GpgKey> {
  const home = await mkdtemp(join(tmpdir(), "sluice-gpg-"));
  await exec("gpg", ["--homedir", home, "--batch", "--passphrase", "", "--quick-gen-key", `${name} <${name.toLowerCase()}@example.com>`, "ed25519", "sign", "never"]);
  const { stdout } = await exec("gpg", ["--homedir", home, "--batch", "--with-colons", "--list-keys"]);
  const fingerprint = stdout.split("\n").find((l) => l.startsWith("fpr:"))!.split(":")[9];
  const { stdout: publicKey } = await exec("gpg", ["--homedir", home, "--batch", "--armor", "--export", fingerprint]);
  const remove = async () => {
    await exec("gpgconf", ["--homedir", home, "--kill", "all"]).catch(() => undefined);
    await rm(home, { recursive: true, force: true });
  };
  return { home, fingerprint, keyId: fingerprint.slice(-16), publicKey, remove };
}

export interface SshKeyPair {
  privateKeyPath: string;
  privateKey: string;
  /** authorized_keys line. */
  publicKey: string;
  /** SHA256:… */
  fingerprint: string;
}

/** A fresh ed25519 key pair, optionally encrypted with a passphrase. */
export async function sshKey(passphrase = ""): Promise<SshKeyPair> {
  const dir = await mkdtemp(join(tmpdir(), "sluice-sshkey-"));
  const path = join(dir, "id_ed25519");
  await exec("ssh-keygen", ["-q", "-t", "ed25519", "-N", passphrase, "-C", "test", "-f", path]);
  const { stdout } = await exec("ssh-keygen", ["-l", "-E", "sha256", "-f", `${path}.pub`]);
  return {
    privateKeyPath: path,
    privateKey: await readFile(path, "utf8"),
    publicKey: (await readFile(`${path}.pub`, "utf8")).trim(),
    fingerprint: stdout.split(" ")[1],
  };
}


export interface TlsMaterial {
  caCert: string;
  cert: string;
  key: string;
  /** A client certificate signed by the CA (for mTLS). */
  clientCert: string;
  clientKey: string;
}

/** A CA, a server certificate for 127.0.0.1/localhost and a client certificate, made with openssl. */
export async function makeTls(): Promise<TlsMaterial> {
  const dir = await mkdtemp(join(tmpdir(), "sluice-tls-"));
  const o = (args: string[]) => exec("openssl", args, { cwd: dir });
  await o(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=sluice-test-ca"]);
  for (const [name, ext] of [
    ["server", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth"],
    ["client", "extendedKeyUsage=clientAuth"],
  ]) {
    await writeFile(join(dir, `${name}.ext`), ext);
    await o(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${name}`]);
    await o(["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${name}.crt`, "-days", "2", "-extfile", `${name}.ext`]);
  }
  const r = (f: string) => readFile(join(dir, f), "utf8");
  const tls = { caCert: await r("ca.crt"), cert: await r("server.crt"), key: await r("server.key"), clientCert: await r("client.crt"), clientKey: await r("client.key") };
  await rm(dir, { recursive: true, force: true });
  return tls;
}

export interface GitSshServer {
  /** ssh://user@127.0.0.1:PORT/<root>/<name>.git */
  url(name: string): string;
  port: number;
  /** known_hosts line for this server's host key. */
  knownHosts: string;
  /** The host key's public half, in authorized_keys format. */
  hostPublicKey: string;
  stop(): Promise<void>;
}

export interface GitSshServerOptions {
  /** Type of the (only) host key (default ed25519): the server offers just its algorithms. */
  hostKeyType?: "ed25519" | "ecdsa" | "rsa";
  /** sshd's KexAlgorithms: the only key exchanges the server offers (default: sshd's). */
  kexAlgorithms?: string[];
}

/** sshd on a free loopback port, accepting only `clientKey`, serving repositories under `root`. */
export async function startGitSshServer(root: string, clientKeys: string[], opts: GitSshServerOptions = {}): Promise<GitSshServer> {
  const dir = await mkdtemp(join(tmpdir(), "sluice-sshd-"));
  await exec("ssh-keygen", ["-q", "-t", opts.hostKeyType ?? "ed25519", "-N", "", "-f", join(dir, "host_key")]);
  await writeFile(join(dir, "authorized_keys"), `${clientKeys.join("\n")}\n`, { mode: 0o600 });
  const port = await freePort();
  const user = userInfo().username;
  await writeFile(
    join(dir, "sshd_config"),
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${join(dir, "host_key")}`,
      `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
      `PidFile ${join(dir, "sshd.pid")}`,
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "PubkeyAuthentication yes",
      "PermitRootLogin prohibit-password",
      "UsePAM no",
      "StrictModes no",
      `AllowUsers ${user}`,
      "PrintMotd no",
      "LogLevel ERROR",
      ...(opts.kexAlgorithms ? [`KexAlgorithms ${opts.kexAlgorithms.join(",")}`] : []),
    ].join("\n"),
  );
  await mkdir("/run/sshd", { recursive: true }).catch(() => undefined);
  const child = spawn(sshd, ["-D", "-e", "-f", join(dir, "sshd_config")], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += String(c)));
  await waitForPort(port, () => child.exitCode !== null, () => stderr);
  const hostPublicKey = (await readFile(join(dir, "host_key.pub"), "utf8")).trim().split(" ").slice(0, 2).join(" ");
  return {
    url: (name) => `ssh://${user}@127.0.0.1:${port}${root}/${name}.git`,
    port,
    knownHosts: `[127.0.0.1]:${port} ${hostPublicKey}`,
    hostPublicKey,
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once("exit", r)));
      await rm(dir, { recursive: true, force: true });
    },
  };
}


async function waitForPort(port: number, exited: () => boolean, log: () => string): Promise<void> {
  const { connect } = await import("node:net");
  for (let i = 0; i < 100; i++) {
    if (exited()) throw new Error(`sshd exited: ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const sock = connect(port, "127.0.0.1");
      sock.once("connect", () => {
        sock.destroy();
        resolve(true);
      });
      sock.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd did not listen on ${port}: ${log()}`);
}

export interface HttpProxy {
  /** http://127.0.0.1:PORT */
  address: string;
  /** Requests forwarded. */
  forwarded: number;
  stop(): Promise<void>;
}

/** A forward proxy for plain-HTTP requests, with optional basic proxy auth. */
export async function startHttpProxy(auth?: { username: string; password: string }): Promise<HttpProxy> {
  const { request } = await import("node:http");
  const state = { forwarded: 0 };
  const expected = auth ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}` : undefined;
  const server = createHttpServer((req, res) => {
    if (expected && req.headers["proxy-authorization"] !== expected) {
      res.writeHead(407, { "Proxy-Authenticate": 'Basic realm="proxy"' }).end();
      return;
    }
    const headers = { ...req.headers };
    delete headers["proxy-authorization"];
    delete headers["proxy-connection"];
    state.forwarded++;
    const upstream = request(req.url ?? "", { method: req.method, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    address: `http://127.0.0.1:${port}`,
    get forwarded() {
      return state.forwarded;
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(() => r(undefined)));
    },
  };
}
