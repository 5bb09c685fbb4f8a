/**
 * `sluice create source helm|oci|bucket`, `create helmrelease` and `create secret git|tls|helm`:
 * --export, server-side apply, no wait for kinds no Sluice controller reconciles, and an SSH Git
 * Secret (host keys from ssh-keyscan) that the real source controller fetches with.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { parseAllDocuments } from "yaml";
import { helmReleaseKind } from "../../src/api/helm/helm_release.ts";
import type { KubeObject } from "../../src/api/meta.ts";
import { bucketKind } from "../../src/api/source/bucket.ts";
import { helmRepositoryKind } from "../../src/api/source/helm_repository.ts";
import { ociRepositoryKind } from "../../src/api/source/oci_repository.ts";
import { createLogger } from "../../src/runtime/ops/logger.ts";
import { refOfKind } from "../../src/runtime/kube/resource_ref.ts";
import { freshNamespace } from "../support/cluster.ts";
import { GitFixtures, type GitSshServer, makeTls, sshKey, type SshKeyPair, startGitSshServer, type TestRepo, type TlsMaterial } from "../support/git_server.ts";
import { startTestManager, type TestManager } from "../support/test_manager.ts";
import { expectOneLineErrors, sluice, testApi } from "./cli_support.ts";

const api = testApi();
const ns = await freshNamespace("cli-create");
const secretRef = { group: "", version: "v1", resource: "secrets", kind: "Secret", namespaced: true };
const helmRepoRef = refOfKind(helmRepositoryKind);

let dir: string;
let fixtures: GitFixtures;
let repo: TestRepo;
let sha: string;
let key: SshKeyPair;
let sshd: GitSshServer;
let tls: TlsMaterial;
let controllers: TestManager;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "sluice-cli-create-"));
  fixtures = await GitFixtures.create();
  repo = await fixtures.repo("r");
  sha = await repo.commit({ "deploy/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n" }, "first");
  key = await sshKey("key-passphrase");
  sshd = await startGitSshServer(fixtures.root, [key.publicKey]);
  tls = await makeTls();
  for (const [name, text] of Object.entries({ "client.crt": tls.clientCert, "client.key": tls.clientKey, "ca.crt": tls.caCert, "server.key": tls.key })) await writeFile(join(dir, name), text);
  controllers = await startTestManager(ns, ["source"], { manager: process.env.SLUICE_TEST_LOG_LEVEL ? {} : { log: createLogger("fatal") } });
});

after(async () => {
  await controllers.stop();
  await sshd.stop();
  await fixtures.cleanup();
  await rm(dir, { recursive: true, force: true });
  await api.client.close();
});

const n = () => ["-n", ns];
const decode = (s: KubeObject) => Object.fromEntries(Object.entries((s as unknown as { data: Record<string, string> }).data).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]));
const managers = (o: KubeObject) => ((o.metadata.managedFields ?? []) as Array<{ manager?: string }>).map((f) => f.manager);

test("create source helm, oci and bucket: applied by field manager sluice, not waited for (no Sluice controller), updated on a second run", async () => {
  const helm = await sluice(["create", "source", "helm", "podinfo", "--url", "https://stefanprodan.github.io/podinfo", "--interval", "10m", ...n()]);
  assert.equal(helm.code, 0, helm.stderr);
  assert.equal(
    helm.stderr,
    `► creating HelmRepository podinfo in ${ns} namespace\n✔ HelmRepository created\n⚠️ not waiting for HelmRepository podinfo to be ready: no Sluice controller reconciles HelmRepository yet (--wait-ready waits anyway)\n`,
  );
  const created = await api.get(helmRepoRef, ns, "podinfo");
  assert.deepEqual(created.spec, { interval: "10m", url: "https://stefanprodan.github.io/podinfo", provider: "generic" });
  assert.ok(managers(created).includes("sluice"), JSON.stringify(managers(created)));

  const again = await sluice(["create", "source", "helm", "podinfo", "--url", "https://stefanprodan.github.io/podinfo", "--secret-ref", "charts-auth", "--pass-credentials", "--no-wait-ready", ...n()]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stderr, `► updating HelmRepository podinfo in ${ns} namespace\n✔ HelmRepository updated\n`, "--no-wait-ready: no note");
  assert.deepEqual((await api.get(helmRepoRef, ns, "podinfo")).spec, { interval: "1m", url: "https://stefanprodan.github.io/podinfo", provider: "generic", secretRef: { name: "charts-auth" }, passCredentials: true });

  const oci = await sluice(["create", "source", "helm", "charts", "--url", "oci://ghcr.io/stefanprodan/charts", "--oci-provider", "aws", "--wait-ready", ...n()]);
  assert.equal(oci.code, 0, oci.stderr);
  assert.match(oci.stderr, /✔ HelmRepository of type oci needs no fetch: ready when a chart is pulled\n$/);
  assert.deepEqual((await api.get(helmRepoRef, ns, "charts")).spec, { interval: "1m", url: "oci://ghcr.io/stefanprodan/charts", type: "oci", provider: "aws" });

  const ociRepo = await sluice(["create", "source", "oci", "manifests", "--url", "oci://ghcr.io/stefanprodan/manifests/podinfo", "--tag-semver", ">=6.0.0", "--provider", "gcp", "--ignore-paths", "/*,!/deploy", "--label", "team=web", ...n()]);
  assert.equal(ociRepo.code, 0, ociRepo.stderr);
  const o = await api.get(refOfKind(ociRepositoryKind), ns, "manifests");
  assert.deepEqual(o.spec, { interval: "1m", url: "oci://ghcr.io/stefanprodan/manifests/podinfo", ref: { semver: ">=6.0.0" }, provider: "gcp", ignore: "/*\n!/deploy\n" });
  assert.equal(o.metadata.labels?.team, "web");

  const bucket = await sluice(["create", "source", "bucket", "store", "--bucket-name", "manifests", "--endpoint", "minio.minio.svc:9000", "--insecure", "--secret-ref", "minio", "--region", "eu-west-1", ...n()]);
  assert.equal(bucket.code, 0, bucket.stderr);
  assert.deepEqual((await api.get(refOfKind(bucketKind), ns, "store")).spec, {
    interval: "1m",
    provider: "generic",
    bucketName: "manifests",
    endpoint: "minio.minio.svc:9000",
    region: "eu-west-1",
    insecure: true,
    secretRef: { name: "minio" },
    timeout: "60s",
  });
});

test("create helmrelease: chart template or chartRef, merged --values files, target namespace and CRD policy", async () => {
  await writeFile(join(dir, "base.yaml"), "replicaCount: 1\nimage:\n  tag: '6.0.0'\n  pullPolicy: IfNotPresent\n");
  await writeFile(join(dir, "prod.yaml"), "replicaCount: 3\nimage:\n  tag: '6.6.0'\n");
  const r = await sluice([
    "create", "hr", "podinfo", "--source", "HelmRepository/podinfo", "--chart", "podinfo", "--chart-version", ">=6.0.0 <7.0.0",
    "--target-namespace", "web", "--create-target-namespace", "--depends-on", "infra/cert-manager", "--crds", "CreateReplace",
    "--values", join(dir, "base.yaml"), "--values", join(dir, "prod.yaml"), "--values-from", "ConfigMap/extra", ...n(),
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /⚠️ not waiting for HelmRelease podinfo to be ready: no Sluice controller reconciles HelmRelease yet/);
  const hr = await api.get(refOfKind(helmReleaseKind), ns, "podinfo");
  assert.deepEqual(hr.spec, {
    interval: "1m",
    chart: { spec: { chart: "podinfo", version: ">=6.0.0 <7.0.0", sourceRef: { kind: "HelmRepository", name: "podinfo" }, reconcileStrategy: "ChartVersion" } },
    targetNamespace: "web",
    dependsOn: [{ name: "cert-manager", namespace: "infra" }],
    install: { createNamespace: true, crds: "Create" },
    upgrade: { crds: "CreateReplace" },
    values: { replicaCount: 3, image: { tag: "6.6.0", pullPolicy: "IfNotPresent" } },
    valuesFrom: [{ kind: "ConfigMap", name: "extra" }],
  });

  const ref = await sluice(["create", "hr", "app", "--chart-ref", "OCIRepository/manifests", "--release-name", "my-app", ...n()]);
  assert.equal(ref.code, 0, ref.stderr);
  assert.deepEqual((await api.get(refOfKind(helmReleaseKind), ns, "app")).spec, { interval: "1m", chartRef: { kind: "OCIRepository", name: "manifests" }, releaseName: "my-app" });

  // Asked to wait for a kind nothing reconciles here: the wait ends at --timeout with a hint.
  const waited = await sluice(["create", "hr", "app", "--chart-ref", "OCIRepository/manifests", "--wait-ready", "--timeout", "2s", ...n()]);
  assert.equal(waited.code, 1);
  assert.match(waited.stderr, /✗ timed out after 2s waiting for HelmRelease \S+\/app: no controller has handled the request yet; no Sluice controller reconciles HelmRelease yet: is another one \(e\.g\. Flux's\) running\?\n$/);
});

test("--export prints YAML and writes nothing to the cluster", async () => {
  const cases: Array<[string[], string]> = [
    [["create", "source", "helm", "x-helm", "--url", "https://charts.example.com"], "HelmRepository"],
    [["create", "source", "oci", "x-oci", "--url", "oci://r.example.com/app", "--digest", `sha256:${"a".repeat(64)}`], "OCIRepository"],
    [["create", "source", "bucket", "x-bucket", "--bucket-name", "b-1", "--endpoint", "s3.amazonaws.com", "--provider", "aws"], "Bucket"],
    [["create", "hr", "x-hr", "--chart-ref", "HelmChart/c"], "HelmRelease"],
    [["create", "secret", "helm", "x-secret", "-u", "user", "-p", "pw"], "Secret"],
  ];
  for (const [args, kind] of cases) {
    const r = await sluice([...args, "--export", ...n()]);
    assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
    assert.equal(r.stderr, "");
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as KubeObject);
    assert.equal(docs.length, 1);
    assert.equal(docs[0].kind, kind);
    assert.deepEqual(docs[0].metadata, { name: args[kind === "HelmRelease" ? 2 : 3], namespace: ns });
  }
  assert.equal(await api.find(helmRepoRef, ns, "x-helm"), undefined);
  assert.equal(await api.find(secretRef, ns, "x-secret"), undefined);
  const secret = parseAllDocuments((await sluice(["create", "secret", "helm", "x-secret", "-u", "user", "-p", "pw", "--export", ...n()])).stdout)[0].toJS();
  assert.deepEqual(secret, { apiVersion: "v1", kind: "Secret", metadata: { name: "x-secret", namespace: ns }, type: "Opaque", stringData: { username: "user", password: "pw" } });
});

test("create secret git over SSH: host keys from ssh-keyscan, and a GitRepository fetches with the Secret", async () => {
  const url = sshd.url("r");
  const r = await sluice(["create", "secret", "git", "repo-ssh", "--url", url, "--private-key-file", key.privateKeyPath, "--password", "key-passphrase", ...n()]);
  assert.equal(r.code, 0, r.stderr);
  const hostKey = sshd.hostPublicKey.split(" ");
  const fingerprint = createHash("sha256").update(Buffer.from(hostKey[1], "base64")).digest("base64").replace(/=+$/, "");
  assert.match(r.stderr, new RegExp(`► scanning the host keys of 127\\.0\\.0\\.1:${sshd.port}\n✔ host key ${hostKey[0]} SHA256:${fingerprint.replace(/[+/]/g, "\\$&")}\n`));
  assert.match(r.stderr, /✔ Secret created\n$/);
  const data = decode(await api.get(secretRef, ns, "repo-ssh"));
  assert.deepEqual(Object.keys(data).sort(), ["identity", "identity.pub", "known_hosts", "password"]);
  assert.equal(data.identity, key.privateKey);
  assert.equal(data["identity.pub"].split(" ").slice(0, 2).join(" "), key.publicKey.split(" ").slice(0, 2).join(" "));
  assert.ok(data.known_hosts.split("\n").includes(sshd.knownHosts), data.known_hosts);

  const source = await sluice(["create", "source", "git", "r", "--url", url, "--branch", "main", "--secret-ref", "repo-ssh", ...n()]);
  assert.equal(source.code, 0, source.stderr);
  assert.ok(source.stderr.trimEnd().endsWith(`✔ fetched revision main@sha1:${sha}`), source.stderr);

  // Without a key file a new pair is made; a known_hosts file skips the scan.
  await writeFile(join(dir, "known_hosts"), `${sshd.knownHosts}\n`);
  const gen = await sluice(["create", "secret", "git", "deploy", "--url", url, "--ssh-key-algorithm", "ed25519", "--known-hosts", join(dir, "known_hosts"), "--export", ...n()]);
  assert.equal(gen.code, 0, gen.stderr);
  assert.match(gen.stderr, /^✚ deploy key: ssh-ed25519 AAAA\S+ sluice\n$/);
  const exported = parseAllDocuments(gen.stdout)[0].toJS() as { stringData: Record<string, string> };
  assert.match(exported.stringData.identity, /^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
  assert.equal(exported.stringData.known_hosts, `${sshd.knownHosts}\n`);
  assert.equal(await api.find(secretRef, ns, "deploy"), undefined);
});

test("create secret git over HTTPS, secret tls and secret helm: keys as source-controller reads them", async () => {
  const basic = await sluice(["create", "secret", "git", "https-auth", "--url", "https://git.example.com/org/app", "-u", "git", "-p", "s3cret", "--ca-crt-file", join(dir, "ca.crt"), "--label", "app=web", ...n()]);
  assert.equal(basic.code, 0, basic.stderr);
  const secret = await api.get(secretRef, ns, "https-auth");
  assert.equal(secret.metadata.labels?.app, "web");
  assert.deepEqual(decode(secret), { username: "git", password: "s3cret", "ca.crt": tls.caCert });

  // A second run with other credentials replaces the keys: the old ones are gone.
  const bearer = await sluice(["create", "secret", "git", "https-auth", "--url", "https://git.example.com/org/app", "--bearer-token", "t0ken", ...n()]);
  assert.equal(bearer.code, 0, bearer.stderr);
  assert.deepEqual(decode(await api.get(secretRef, ns, "https-auth")), { bearerToken: "t0ken" });

  const certs = await sluice(["create", "secret", "tls", "client-certs", "--tls-crt-file", join(dir, "client.crt"), "--tls-key-file", join(dir, "client.key"), "--ca-crt-file", join(dir, "ca.crt"), ...n()]);
  assert.equal(certs.code, 0, certs.stderr);
  assert.deepEqual(decode(await api.get(secretRef, ns, "client-certs")), { "tls.crt": tls.clientCert, "tls.key": tls.clientKey, "ca.crt": tls.caCert });

  const helm = await sluice(["create", "secret", "helm", "charts-auth", "--username", "u", "--password", "p", ...n()]);
  assert.equal(helm.code, 0, helm.stderr);
  assert.deepEqual(decode(await api.get(secretRef, ns, "charts-auth")), { username: "u", password: "p" });
});

test("bad input: one line, exit 1, nothing written", async () => {
  const cases: Array<[string[], string]> = [
    [["create", "source", "helm", "x", "--url", "ftp://charts"], `✗ option '--url <url>' argument 'ftp://charts' is invalid. want an http://, https:// or oci:// address, got "ftp://charts"`],
    [["create", "source", "helm", "x", "--url", "https://charts", "--oci-provider", "aws"], `✗ --oci-provider is for OCI registries: use an oci:// --url, got "https://charts"`],
    [["create", "source", "oci", "x", "--url", "oci://r/app", "--tag", "1.0", "--digest", `sha256:${"0".repeat(64)}`], "✗ --tag and --digest both pick the artifact: give only one"],
    [["create", "source", "oci", "x", "--url", "oci://r/app"], "✗ say what to pull: --tag, --tag-semver or --digest"],
    [["create", "source", "oci", "x", "--url", "oci://r/app", "--tag", "1", "--provider", "ibm"], "✗ option '--provider <provider>' argument 'ibm' is invalid. Allowed choices are generic, aws, azure, gcp."],
    [["create", "source", "oci", "x", "--url", "oci://r/app:1.0", "--tag", "1"], `✗ option '--url <url>' argument 'oci://r/app:1.0' is invalid. give the tag or digest with --tag or --digest, not in the address: "oci://r/app:1.0"`],
    [["create", "source", "bucket", "x", "--bucket-name", "b-1", "--endpoint", "https://minio:9000"], `✗ --endpoint wants host[:port] without a scheme for provider generic, got "https://minio:9000" (plain HTTP: add --insecure)`],
    [["create", "source", "bucket", "x", "--bucket-name", "Bad_Bucket", "--endpoint", "minio:9000"], `✗ option '--bucket-name <name>' argument 'Bad_Bucket' is invalid. "Bad_Bucket" is not a bucket name: want 3-222 lower-case letters, digits, '.', '-' or '_'`],
    [["create", "hr", "x"], "✗ say where the chart comes from: --source Kind/name with --chart, or --chart-ref Kind/name"],
    [["create", "hr", "x", "--source", "OCIRepository/p", "--chart", "c"], `✗ option '--source <Kind/name[.namespace]>' argument 'OCIRepository/p' is invalid. source kind "OCIRepository" is not one of HelmRepository, GitRepository, Bucket`],
    [["create", "hr", "x", "--chart-ref", "OCIRepository/p", "--values", "/no/such/values.yaml"], "✗ cannot read --values file /no/such/values.yaml: ENOENT"],
    [["create", "secret", "git", "x", "--url", "https://git.example.com/r"], "✗ an https:// URL needs --username and --password, --bearer-token, or TLS files (--ca-crt-file, --tls-crt-file with --tls-key-file)"],
    [["create", "secret", "git", "x", "--url", "https://git.example.com/r", "-u", "a", "-p", "b", "--bearer-token", "t"], "✗ give --username and --password, or --bearer-token, not both"],
    [["create", "secret", "git", "x", "--url", "ssh://git@127.0.0.1:1/r", "--private-key-file", "/no/such/key"], "✗ cannot read --private-key-file /no/such/key: ENOENT"],
    [["create", "secret", "git", "x", "--url", "ssh://git@127.0.0.1:1/r", "--private-key-file", "KEY", "--known-hosts", "KH"], "✗ KEY is encrypted: give its passphrase with --password"],
    [["create", "secret", "git", "x", "--url", "ssh://git@127.0.0.1:1/r", "--private-key-file", "KEY", "-p", "wrong", "--known-hosts", "KH"], "✗ --password is not the passphrase of KEY"],
    [["create", "secret", "tls", "x", "--tls-crt-file", "CRT", "--tls-key-file", "SERVERKEY"], "✗ --tls-key-file SERVERKEY is not the key of the certificate in CRT"],
    [["create", "secret", "tls", "x", "--ca-crt-file", "KH"], "✗ --ca-crt-file KH is not PEM: want a -----BEGIN …----- block"],
    [["create", "secret", "helm", "x", "-u", "a"], "✗ --username and --password go together"],
  ];
  const files: Record<string, string> = { KEY: key.privateKeyPath, KH: join(dir, "known_hosts"), CRT: join(dir, "client.crt"), SERVERKEY: join(dir, "server.key") };
  await writeFile(files.KH, `${sshd.knownHosts}\n`);
  await expectOneLineErrors(cases, n(), files);
  assert.equal(await api.find(secretRef, ns, "x"), undefined);
  assert.equal(await api.find(helmRepoRef, ns, "x"), undefined);
});
