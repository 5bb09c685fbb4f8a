import assert from "node:assert/strict";
import { test } from "node:test";
import { dockerConfigJson, parseRegistryHost } from "./create_secret_oci_command.ts";

test("parseRegistryHost takes host[:port], lower-cased, and nothing else", () => {
  assert.equal(parseRegistryHost("ghcr.io"), "ghcr.io");
  assert.equal(parseRegistryHost("Registry.Example.com:5000"), "registry.example.com:5000");
  assert.equal(parseRegistryHost("[::1]:5000"), "[::1]:5000");
  for (const bad of ["", "oci://ghcr.io", "https://ghcr.io", "ghcr.io/org", "u:p@ghcr.io", "ghcr.io:port", "ghcr io"]) {
    assert.throws(() => parseRegistryHost(bad), /want a registry host\[:port\]/, bad);
  }
});

test("dockerConfigJson has one auths entry with auth = base64(user:password)", () => {
  assert.deepEqual(JSON.parse(dockerConfigJson("ghcr.io", "u", "p:w")), { auths: { "ghcr.io": { username: "u", password: "p:w", auth: Buffer.from("u:p:w").toString("base64") } } });
});
