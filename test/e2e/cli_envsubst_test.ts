/** `sluice envsubst`: stdin to stdout with the controller's post-build substitution, variables from the environment. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { cliEnv, sluice } from "./cli_support.ts";

test("envsubst substitutes set variables, applies defaults, keeps $${…} literal and bare $var; unset is empty", async () => {
  const input = "name: ${APP}\nregion: ${REGION:-eu-west-1}\nupper: ${APP^^}\nliteral: $${APP}\nbare: $APP\nmissing: '${NOT_SET_ANYWHERE}'\n";
  const r = await sluice(["envsubst"], { input, env: cliEnv({ APP: "podinfo", REGION: undefined, NOT_SET_ANYWHERE: undefined }) });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "name: podinfo\nregion: eu-west-1\nupper: PODINFO\nliteral: ${APP}\nbare: $APP\nmissing: ''\n");
});

test("envsubst --strict: an unset variable without a default is one line naming it and exit 1; with a default it passes", async () => {
  const env = cliEnv({ APP: "podinfo", NOT_SET_ANYWHERE: undefined });
  const bad = await sluice(["envsubst", "--strict"], { input: "a: ${APP}\nb: ${NOT_SET_ANYWHERE}\n", env });
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, "");
  assert.equal(bad.stderr, '✗ variable not set (strict mode): "NOT_SET_ANYWHERE"\n');

  const ok = await sluice(["envsubst", "--strict"], { input: "a: ${APP}\nb: ${NOT_SET_ANYWHERE:=fallback}\n", env });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, "a: podinfo\nb: fallback\n");
});

test("envsubst: a malformed expression is a one-line error", async () => {
  const r = await sluice(["envsubst"], { input: "a: ${APP\n" });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^✗ unclosed expression "\$\{APP\\n"\n$/);
});
