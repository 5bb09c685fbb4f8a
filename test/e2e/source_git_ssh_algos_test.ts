/**
 * --ssh-kex-algos and --ssh-hostkey-algos: one source controller restricted to ssh-ed25519 host
 * keys and curve25519-sha256 key exchange fetches from a server that offers them, and fails with a
 * clear GitOperationFailed from servers that offer only an ECDSA host key or only ECDH key exchange.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sshKey, startGitSshServer } from "../support/git_server.ts";
import { cliEnv, sluice } from "./cli_support.ts";

// Should a bad flag ever get through, the controller would watch one empty namespace and serve on free ports, touching nothing.
const isolated = ["--no-watch-all-namespaces", "--namespace=sluice-flag-test-none", "--storage-path=/tmp/sluice-flag-test", "--storage-addr=127.0.0.1:0", "--metrics-addr=127.0.0.1:0", "--health-addr=127.0.0.1:0"];
import { condition, createGitRepository, createSecret, failedWith, isReady, sourceEnv, waitForRepo } from "./source_support.ts";

describe("source: SSH algorithm flags", () => {
  it("a host key type or key exchange outside the flags fails the fetch, naming the flag; the allowed ones work", async (t) => {
    const env = await sourceEnv(t, { flags: { sshHostKeyAlgos: ["ssh-ed25519"], sshKexAlgos: ["curve25519-sha256"] } });
    const repo = await env.git.repo("r");
    const c1 = await repo.commit({ "a.txt": "a" });
    const key = await sshKey();
    const allowed = await startGitSshServer(env.git.root, [key.publicKey]);
    t.after(() => allowed.stop());
    const ecdsaHost = await startGitSshServer(env.git.root, [key.publicKey], { hostKeyType: "ecdsa" });
    t.after(() => ecdsaHost.stop());
    const ecdhOnly = await startGitSshServer(env.git.root, [key.publicKey], { kexAlgorithms: ["ecdh-sha2-nistp256"] });
    t.after(() => ecdhOnly.stop());
    for (const [name, server] of [["allowed", allowed], ["ecdsa-host", ecdsaHost], ["ecdh-only", ecdhOnly]] as const) {
      await createSecret(env.api, env.ns, name, { identity: key.privateKey, known_hosts: server.knownHosts });
      await createGitRepository(env.api, env.ns, name, { url: server.url("r"), ref: { branch: "main" }, secretRef: { name } });
    }

    const ok = await waitForRepo(env.api, env.ns, "allowed", "Ready with ssh-ed25519 and curve25519-sha256", isReady);
    assert.equal(ok.status!.artifact!.revision, `main@sha1:${c1}`);

    const host = await waitForRepo(env.api, env.ns, "ecdsa-host", "no common host key type", failedWith("GitOperationFailed", "FetchFailed"));
    assert.match(
      condition(host, "FetchFailed")!.message,
      /^failed to checkout and determine revision: SSH negotiation with 'ssh:\/\/[^']+' failed: no matching host key type found; the server offers ecdsa-sha2-nistp256, none of them in --ssh-hostkey-algos/,
    );

    const kex = await waitForRepo(env.api, env.ns, "ecdh-only", "no common key exchange", failedWith("GitOperationFailed", "FetchFailed"));
    assert.match(condition(kex, "FetchFailed")!.message, /no matching key exchange method found; the server offers ecdh-sha2-nistp256, none of them in --ssh-kex-algos/);
  });

  it("a name ssh does not know, or one that is not a name, is refused at start-up with one line", async () => {
    for (const [flag, value, said] of [
      ["--ssh-hostkey-algos", "ssh-ed25519,ssh-made-up", "--ssh-hostkey-algos: 'ssh-made-up' not supported by this ssh (`ssh -Q HostKeyAlgorithms` lists: "],
      ["--ssh-kex-algos", "kex-made-up", "--ssh-kex-algos: 'kex-made-up' not supported by this ssh (`ssh -Q kex` lists: "],
      ["--ssh-kex-algos", "curve25519-sha256 -oProxyCommand=x", '"curve25519-sha256 -oProxyCommand=x" is not an SSH algorithm name'],
    ]) {
      const res = await sluice(["controllers", "--controllers=source", `${flag}=${value}`, ...isolated], { env: cliEnv(), timeoutMs: 15_000 });
      assert.notEqual(res.code, 0);
      const lines = res.stderr.trim().split("\n");
      assert.equal(lines.length, 1, res.stderr);
      assert.ok(lines[0].includes(said), res.stderr);
    }
  });
});
