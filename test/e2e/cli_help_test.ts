/** Every verb explains itself: --help works without a cluster and shows at least one example. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { sluice } from "./cli_support.ts";

const verbs = [
  ["get"],
  ["reconcile"],
  ["suspend"],
  ["resume"],
  ["create"],
  ["create", "source"],
  ["create", "source", "git"],
  ["create", "source", "helm"],
  ["create", "source", "oci"],
  ["create", "source", "bucket"],
  ["create", "source", "chart"],
  ["create", "kustomization"],
  ["create", "helmrelease"],
  ["create", "alert-provider"],
  ["create", "alert"],
  ["create", "receiver"],
  ["create", "secret"],
  ["create", "secret", "git"],
  ["create", "secret", "tls"],
  ["create", "secret", "helm"],
  ["create", "secret", "githubapp"],
  ["create", "secret", "oci"],
  ["create", "secret", "proxy"],
  ["delete"],
  ["export"],
  ["events"],
  ["tree"],
  ["trace"],
  ["stats"],
  ["build"],
  ["build", "kustomization"],
  ["diff"],
  ["diff", "kustomization"],
  ["debug"],
  ["debug", "kustomization"],
  ["envsubst"],
  ["install"],
  ["uninstall"],
  ["check"],
  ["version"],
];

test("every command has --help with an example, no cluster needed", async () => {
  const env = { ...process.env, KUBECONFIG: "/nonexistent" };
  // Four at a time: the machine is shared.
  const results = [];
  for (let i = 0; i < verbs.length; i += 4) results.push(...(await Promise.all(verbs.slice(i, i + 4).map((v) => sluice([...v, "--help"], { env })))));
  results.forEach((r, i) => {
    const name = verbs[i].join(" ");
    assert.equal(r.code, 0, `${name}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^Usage: sluice ${name.replace("kustomization", "(kustomization|ks)")}`), name);
    assert.match(r.stdout, /\nExamples:\n {2}sluice /, `${name} --help has no example`);
  });
});

test("an unknown command is one line, a hint, and exit 1", async () => {
  const r = await sluice(["frobnicate"]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, "✗ unknown command 'frobnicate'\n(see `sluice --help` for the commands)\n");
});
