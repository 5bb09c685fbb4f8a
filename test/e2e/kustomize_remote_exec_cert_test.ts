/**
 * --insecure-kubeconfig-exec with a plugin that answers a client certificate (clientCertificateData and
 * clientKeyData) rather than a token, on the real control plane. The certificate is made for this test,
 * signed by the test cluster's client CA, for a user with no groups whom RBAC lets touch ConfigMaps in
 * the test's namespace only: the Kustomizations apply as that user (the API server's denial of a
 * Service names it), and the plugin runs once however many reconciles (and Kustomizations) use it.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { devLayout } from "../../src/dev/dev_layout.ts";
import { pkiPaths } from "../../src/dev/pki.ts";
import type { ObjectApi } from "../../src/runtime/kube/objects.ts";
import type { ResourceRef } from "../../src/runtime/kube/resource_ref.ts";
import { freshNamespace } from "../support/cluster.ts";
import { configMapRules, kubeconfigFor } from "../support/service_accounts.ts";
import { testKubeconfigPath } from "../support/test_manager.ts";
import { artifactServerForSuite, configMap, core, createGitRepository, ksRef, kustomization, readyOf, startKustomize, waitReady } from "./kustomize_support.ts";

const configMaps = core("configmaps", "ConfigMap");
const rbac = (resource: string, kind: string): ResourceRef => ({ group: "rbac.authorization.k8s.io", version: "v1", resource, kind, namespaced: true });

/** A client certificate and key (PEM files in `dir`) for `user`, with no groups, signed by the test cluster's client CA. */
async function clientCertificate(dir: string, user: string): Promise<{ cert: string; key: string }> {
  const ca = pkiPaths(devLayout(dirname(testKubeconfigPath())).pki).ca;
  const cert = join(dir, "client.crt");
  const key = join(dir, "client.key");
  await promisify(execFile)("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", key, "-out", cert, "-days", "1", "-subj", `/CN=${user}`,
    "-CA", ca.cert, "-CAkey", ca.key,
    "-addext", "basicConstraints=critical,CA:FALSE",
    "-addext", "keyUsage=critical,digitalSignature",
    "-addext", "extendedKeyUsage=clientAuth",
  ]);
  return { cert, key };
}

/** An exec plugin printing the PEM files $CERT_FILE and $KEY_FILE as a v1 ExecCredential (no expiry); every run appends a line to `runs`. */
async function certPlugin(dir: string): Promise<{ path: string; runs: string }> {
  const path = join(dir, "cert-plugin");
  const runs = join(dir, "runs");
  await writeFile(path, `#!${process.execPath}
const { appendFileSync, readFileSync } = require("node:fs");
const info = JSON.parse(process.env.KUBERNETES_EXEC_INFO);
appendFileSync(${JSON.stringify(runs)}, JSON.stringify({ interactive: info.spec.interactive }) + "\\n");
const status = { clientCertificateData: readFileSync(process.env.CERT_FILE, "utf8"), clientKeyData: readFileSync(process.env.KEY_FILE, "utf8") };
process.stdout.write(JSON.stringify({ apiVersion: info.apiVersion, kind: "ExecCredential", status }));
`);
  await chmod(path, 0o755);
  return { path, runs };
}

/** Role `name` in `ns` with `rules`, bound to User `user`. */
async function userRole(api: ObjectApi, ns: string, name: string, user: string): Promise<void> {
  await api.create(rbac("roles", "Role"), { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name, namespace: ns }, rules: configMapRules } as never);
  await api.create(rbac("rolebindings", "RoleBinding"), {
    apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name, namespace: ns },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: user }],
  } as never);
}

const server = artifactServerForSuite();

describe("kustomize: --insecure-kubeconfig-exec with a client certificate", () => {
  it("applies as the certificate's user; the plugin runs once across reconciles", async (t) => {
    const ns = await freshNamespace("ks-exec-cert", t);
    const { manager } = await startKustomize(ns, t, { insecureKubeconfigExec: true });
    const api = manager.api;
    const dir = await mkdtemp(join(tmpdir(), "sluice-exec-cert-"));
    t.after(() => rm(dir, { recursive: true, force: true }));

    const user = `exec-cert-${ns}`;
    const { cert, key } = await clientCertificate(dir, user);
    await userRole(api, ns, "configmaps", user);
    const { path, runs } = await certPlugin(dir);
    const exec = {
      apiVersion: "client.authentication.k8s.io/v1", command: path, interactiveMode: "Never",
      env: [{ name: "CERT_FILE", value: cert }, { name: "KEY_FILE", value: key }],
    };
    await api.apply({ apiVersion: "v1", kind: "Secret", metadata: { name: "remote", namespace: ns }, stringData: { value: kubeconfigFor({ exec }) } } as never, { fieldManager: "e2e", force: true });
    const art = await server.publish({
      "cm/cm.yaml": configMap("via-cert"),
      "svc/svc.yaml": `apiVersion: v1\nkind: Service\nmetadata:\n  name: denied\nspec:\n  ports:\n  - port: 80\n`,
    });
    await createGitRepository(api, ns, "repo", art);
    const kubeConfig = { secretRef: { name: "remote" } };
    await api.create(ksRef, kustomization(ns, "cm", { path: "./cm", targetNamespace: ns, kubeConfig, interval: "2s" }));
    await api.create(ksRef, kustomization(ns, "svc", { path: "./svc", targetNamespace: ns, kubeConfig, interval: "2s" }));

    await waitReady(api, ns, "cm", { revision: art.revision });
    assert.ok(await api.get(configMaps, ns, "via-cert"));
    const denied = await waitReady(api, ns, "svc", { status: "False", reason: "ReconciliationFailed" });
    // Watching Services (or, failing that, the dry-run) is refused, naming the certificate's CN as the user.
    assert.match(readyOf(denied)!.message, new RegExp(`\\(Forbidden\\): .*User "${user}" cannot (list|watch|patch) resource "services"`));

    // Several reconciles of both (interval 2s) later, still one run: one client per kubeconfig, its certificate kept.
    await new Promise((r) => setTimeout(r, 5_000));
    await waitReady(api, ns, "cm", { revision: art.revision });
    const lines = (await readFile(runs, "utf8")).trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(lines, [{ interactive: false }], "one non-interactive plugin run");
  });
});
