import assert from "node:assert/strict";
import { test } from "node:test";
import { describeGitFailure } from "./git_failure.ts";
import { GitCommandError } from "./run_git.ts";
import { checkSshAlgorithms, parseSshAlgorithmList } from "./ssh_algorithms.ts";

test("algorithm lists: comma-separated names, nothing that could smuggle ssh options", () => {
  assert.deepEqual(parseSshAlgorithmList(" curve25519-sha256, sntrup761x25519-sha512@openssh.com ,"), ["curve25519-sha256", "sntrup761x25519-sha512@openssh.com"]);
  assert.deepEqual(parseSshAlgorithmList(""), []);
  assert.throws(() => parseSshAlgorithmList("ssh-ed25519 -oProxyCommand=x"), /is not an SSH algorithm name/);
  assert.throws(() => parseSshAlgorithmList("+ssh-rsa"), /"\+ssh-rsa" is not an SSH algorithm name/);
});

test("names the installed ssh does not know fail at start-up with the flag named", async () => {
  await checkSshAlgorithms({ kex: ["curve25519-sha256"], hostKey: ["ssh-ed25519", "rsa-sha2-512"] });
  await checkSshAlgorithms({});
  await assert.rejects(checkSshAlgorithms({ hostKey: ["ssh-ed25519", "ssh-made-up"] }), /^Error: --ssh-hostkey-algos: 'ssh-made-up' not supported by this ssh/);
});

test("a failed SSH negotiation says what the server offered and which flag decides", () => {
  const err = (stderr: string) => new GitCommandError("fatal: Could not read from remote repository.", stderr, 128);
  const url = "ssh://git@127.0.0.1:2222/r.git";
  assert.equal(
    describeGitFailure(err("Unable to negotiate with 127.0.0.1 port 2222: no matching host key type found. Their offer: ecdsa-sha2-nistp256\nfatal: Could not read from remote repository."), url),
    `SSH negotiation with '${url}' failed: no matching host key type found; the server offers ecdsa-sha2-nistp256, none of them in --ssh-hostkey-algos (or ssh's defaults when the flag is unset)`,
  );
  assert.match(
    describeGitFailure(err("Unable to negotiate with 127.0.0.1 port 2222: no matching key exchange method found. Their offer: ecdh-sha2-nistp256,kex-strict-s-v00@openssh.com"), url),
    /offers ecdh-sha2-nistp256, none of them in --ssh-kex-algos/,
  );
  assert.match(
    describeGitFailure(err("Unable to negotiate with 127.0.0.1 port 2222: no matching cipher found. Their offer: aes128-cbc"), url),
    /no matching cipher found; the server offers aes128-cbc$/,
  );
});
