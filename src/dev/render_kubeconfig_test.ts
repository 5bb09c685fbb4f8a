import assert from "node:assert/strict";
import { test } from "node:test";
import { parse } from "yaml";
import { renderKubeconfig } from "./render_kubeconfig.ts";

const input = {
  name: "sluice-dev",
  server: "https://127.0.0.1:6443",
  caPem: "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n",
  certPem: "-----BEGIN CERTIFICATE-----\nCERT\n-----END CERTIFICATE-----\n",
  keyPem: "-----BEGIN EC PRIVATE KEY-----\nKEY\n-----END EC PRIVATE KEY-----\n",
};

test("renderKubeconfig embeds the certificates under one cluster, user and context", () => {
  const doc = parse(renderKubeconfig(input));
  assert.equal(doc.kind, "Config");
  assert.equal(doc["current-context"], "sluice-dev");
  assert.deepEqual(doc.contexts, [{ name: "sluice-dev", context: { cluster: "sluice-dev", user: "sluice-dev" } }]);
  assert.equal(doc.clusters[0].cluster.server, input.server);
  assert.equal(Buffer.from(doc.clusters[0].cluster["certificate-authority-data"], "base64").toString(), input.caPem);
  assert.equal(Buffer.from(doc.users[0].user["client-certificate-data"], "base64").toString(), input.certPem);
  assert.equal(Buffer.from(doc.users[0].user["client-key-data"], "base64").toString(), input.keyPem);
});
