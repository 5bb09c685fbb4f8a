import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { readKubeconfig } from "./read_kubeconfig.ts";
import { renderKubeconfig } from "./render_kubeconfig.ts";

const input = {
  name: "sluice-dev",
  server: "https://127.0.0.1:6443",
  caPem: "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n",
  certPem: "-----BEGIN CERTIFICATE-----\nCERT\n-----END CERTIFICATE-----\n",
  keyPem: "-----BEGIN EC PRIVATE KEY-----\nKEY\n-----END EC PRIVATE KEY-----\n",
};

test("readKubeconfig round-trips a rendered kubeconfig and reads file references", () => {
  const dir = mkdtempSync(join(tmpdir(), "kubeconfig-test-"));
  try {
    const path = join(dir, "kubeconfig");
    writeFileSync(path, renderKubeconfig(input));
    assert.deepEqual(readKubeconfig(path), {
      server: input.server, ca: input.caPem, cert: input.certPem, key: input.keyPem, token: undefined,
    });

    writeFileSync(join(dir, "ca.crt"), input.caPem);
    writeFileSync(join(dir, "files"), [
      "apiVersion: v1", "kind: Config", "current-context: b",
      "clusters: [{name: c, cluster: {server: 'https://h:1/', certificate-authority: ca.crt}}]",
      "users: [{name: u, user: {token: abc}}]",
      "contexts: [{name: a, context: {cluster: x, user: y}}, {name: b, context: {cluster: c, user: u}}]",
    ].join("\n"));
    assert.deepEqual(readKubeconfig(join(dir, "files")), {
      server: "https://h:1", ca: input.caPem, cert: undefined, key: undefined, token: "abc",
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
