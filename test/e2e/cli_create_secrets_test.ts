/**
 * `sluice create secret githubapp|oci|proxy` and `create source chart`: the Secrets hold the keys the
 * source controller reads (checked with its own parsers), --export writes nothing, bad input is one line.
 */
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "../../src/api/meta.ts";
import { helmChartKind } from "../../src/api/source/helm_chart.ts";
import { refOfKind } from "../../src/runtime/kube/resource_ref.ts";
import { gitAuthFromSecret } from "../../src/source/git/git_auth.ts";
import { gitHubAppFromSecret } from "../../src/source/git/github_app.ts";
import { freshNamespace } from "../support/cluster.ts";
import { expectOneLineErrors, sluice, testApi } from "./cli_support.ts";

const api = testApi();
const ns = await freshNamespace("cli-create-secrets");
const secretRef = { group: "", version: "v1", resource: "secrets", kind: "Secret", namespaced: true };
const chartRef = refOfKind(helmChartKind);

let dir: string;
const rsaKey = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } }).privateKey;
const ecKey = generateKeyPairSync("ec", { namedCurve: "P-256", privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } }).privateKey;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "sluice-cli-secrets-"));
  await writeFile(join(dir, "app.pem"), rsaKey);
  await writeFile(join(dir, "ec.pem"), ecKey);
  await writeFile(join(dir, "junk.pem"), "-----BEGIN RSA PRIVATE KEY-----\nbm90IGEga2V5\n-----END RSA PRIVATE KEY-----\n");
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
  await api.client.close();
});

const n = () => ["-n", ns];
const decode = (s: KubeObject) => Object.fromEntries(Object.entries((s as unknown as { data: Record<string, string> }).data).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]));
const typeOf = (s: KubeObject) => (s as unknown as { type: string }).type;

test("create secret githubapp: the keys github_app.ts reads, by installation ID or owner", async () => {
  const r = await sluice(["create", "secret", "githubapp", "app", "--app-id", "123", "--app-installation-id", "456", "--app-private-key-file", join(dir, "app.pem"), "--app-base-url", "https://ghe.example.com/api/v3/", ...n()]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /✔ Secret created\n$/);
  const secret = await api.get(secretRef, ns, "app");
  assert.equal(typeOf(secret), "Opaque");
  const data = decode(secret);
  assert.deepEqual(data, { githubAppID: "123", githubAppInstallationID: "456", githubAppPrivateKey: rsaKey, githubAppBaseURL: "https://ghe.example.com/api/v3" });
  const app = gitHubAppFromSecret({ ref: `${ns}/app`, data });
  assert.equal(app.appId, "123");
  assert.equal(app.installationId, "456");
  assert.equal(app.baseUrl, "https://ghe.example.com/api/v3");

  // A second run by owner replaces the installation ID and drops the base URL.
  const owner = await sluice(["create", "secret", "githubapp", "app", "--app-id", "123", "--app-installation-owner", "my-org", "--app-private-key-file", join(dir, "app.pem"), ...n()]);
  assert.equal(owner.code, 0, owner.stderr);
  const again = decode(await api.get(secretRef, ns, "app"));
  assert.deepEqual(Object.keys(again).sort(), ["githubAppID", "githubAppInstallationOwner", "githubAppPrivateKey"]);
  assert.equal(gitHubAppFromSecret({ ref: `${ns}/app`, data: again }).installationOwner, "my-org");
});

test("create secret oci: a kubernetes.io/dockerconfigjson Secret with an auths entry for the registry", async () => {
  const r = await sluice(["create", "secret", "oci", "ghcr-auth", "--url", "Registry.example.com:5000", "--username", "robot", "--password", "p@ss:word", ...n()]);
  assert.equal(r.code, 0, r.stderr);
  const secret = await api.get(secretRef, ns, "ghcr-auth");
  assert.equal(typeOf(secret), "kubernetes.io/dockerconfigjson");
  const data = decode(secret);
  assert.deepEqual(Object.keys(data), [".dockerconfigjson"]);
  assert.deepEqual(JSON.parse(data[".dockerconfigjson"]), {
    auths: { "registry.example.com:5000": { username: "robot", password: "p@ss:word", auth: Buffer.from("robot:p@ss:word").toString("base64") } },
  });
});

test("create secret proxy: address, username and password, as a GitRepository's proxySecretRef reads them", async () => {
  const r = await sluice(["create", "secret", "proxy", "corp-proxy", "--address", "http://proxy.example.com:3128/", "-u", "me", "-p", "secret", ...n()]);
  assert.equal(r.code, 0, r.stderr);
  const data = decode(await api.get(secretRef, ns, "corp-proxy"));
  assert.deepEqual(data, { address: "http://proxy.example.com:3128", username: "me", password: "secret" });
  const auth = gitAuthFromSecret(new URL("https://git.example.com/r"), undefined, { ref: `${ns}/corp-proxy`, data });
  assert.deepEqual(auth.proxy, { address: "http://proxy.example.com:3128", username: "me", password: "secret" });

  const bare = await sluice(["create", "secret", "proxy", "corp-proxy", "--address", "https://proxy.example.com:8443", ...n()]);
  assert.equal(bare.code, 0, bare.stderr);
  assert.deepEqual(decode(await api.get(secretRef, ns, "corp-proxy")), { address: "https://proxy.example.com:8443" });
});

test("create source chart: a HelmChart applied and not waited for (no Sluice controller)", async () => {
  const r = await sluice(["create", "source", "chart", "podinfo", "--source", "HelmRepository/podinfo", "--chart", "podinfo", "--chart-version", ">=6.0.0", "--interval", "10m", ...n()]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stderr,
    `► creating HelmChart podinfo in ${ns} namespace\n✔ HelmChart created\n⚠️ not waiting for HelmChart podinfo to be ready: no Sluice controller reconciles HelmChart yet (--wait-ready waits anyway)\n`,
  );
  assert.deepEqual((await api.get(chartRef, ns, "podinfo")).spec, {
    interval: "10m",
    chart: "podinfo",
    version: ">=6.0.0",
    sourceRef: { kind: "HelmRepository", name: "podinfo" },
    reconcileStrategy: "ChartVersion",
  });

  const git = await sluice(["create", "source", "chart", "app", "--source", `GitRepository/fleet.${ns}`, "--chart", "./charts/app", "--reconcile-strategy", "Revision", "--no-wait-ready", ...n()]);
  assert.equal(git.code, 0, git.stderr);
  assert.deepEqual((await api.get(chartRef, ns, "app")).spec, { interval: "1m", chart: "./charts/app", sourceRef: { kind: "GitRepository", name: "fleet" }, reconcileStrategy: "Revision", version: "*" });
});

test("--export prints the Secret or HelmChart and writes nothing", async () => {
  const cases: Array<[string[], Record<string, unknown>]> = [
    [
      ["create", "secret", "githubapp", "x-app", "--app-id", "1", "--app-installation-owner", "org", "--app-private-key-file", join(dir, "app.pem")],
      { type: "Opaque", stringData: { githubAppID: "1", githubAppInstallationOwner: "org", githubAppPrivateKey: rsaKey } },
    ],
    [
      ["create", "secret", "oci", "x-oci", "--url", "ghcr.io", "-u", "u", "-p", "p"],
      { type: "kubernetes.io/dockerconfigjson", stringData: { ".dockerconfigjson": '{"auths":{"ghcr.io":{"username":"u","password":"p","auth":"dTpw"}}}' } },
    ],
    [["create", "secret", "proxy", "x-proxy", "--address", "http://10.0.0.1:3128"], { type: "Opaque", stringData: { address: "http://10.0.0.1:3128" } }],
    [
      ["create", "source", "chart", "x-chart", "--source", "Bucket/store", "--chart", "charts/app", "--label", "team=web"],
      { spec: { interval: "1m", chart: "charts/app", sourceRef: { kind: "Bucket", name: "store" } } },
    ],
  ];
  for (const [args, body] of cases) {
    const r = await sluice([...args, "--export", ...n()]);
    assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
    assert.equal(r.stderr, "");
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as Record<string, unknown>);
    assert.equal(docs.length, 1);
    const chart = args[1] === "source";
    assert.deepEqual(docs[0], {
      apiVersion: chart ? "source.toolkit.fluxcd.io/v1" : "v1",
      kind: chart ? "HelmChart" : "Secret",
      metadata: { name: args[3], namespace: ns, ...(chart ? { labels: { team: "web" } } : {}) },
      ...body,
    });
  }
  assert.equal(await api.find(secretRef, ns, "x-app"), undefined);
  assert.equal(await api.find(secretRef, ns, "x-oci"), undefined);
  assert.equal(await api.find(chartRef, ns, "x-chart"), undefined);
});

test("bad input: one line, exit 1, nothing written", async () => {
  const app = (...rest: string[]) => ["create", "secret", "githubapp", "x", "--app-id", "1", ...rest];
  const cases: Array<[string[], string]> = [
    [app("--app-installation-id", "2", "--app-private-key-file", "EC"), "✗ --app-private-key-file EC holds a key of type ec; GitHub App private keys are RSA"],
    [app("--app-installation-id", "2", "--app-private-key-file", "JUNK"), "✗ --app-private-key-file JUNK is not a PEM RSA private key (encrypted keys are not supported): use the .pem GitHub made for the app"],
    [app("--app-installation-id", "2", "--app-private-key-file", "/no/such.pem"), "✗ cannot read --app-private-key-file /no/such.pem: ENOENT"],
    [app("--app-installation-id", "2", "--app-installation-owner", "org", "--app-private-key-file", "APP"), "✗ give --app-installation-id or --app-installation-owner, not both"],
    [app("--app-private-key-file", "APP"), "✗ say which installation: --app-installation-id or --app-installation-owner"],
    [["create", "secret", "githubapp", "x", "--app-id", "my-app", "--app-installation-id", "2", "--app-private-key-file", "APP"], `✗ option '--app-id <id>' argument 'my-app' is invalid. want a numeric ID, got "my-app"`],
    [["create", "secret", "oci", "x", "--url", "oci://ghcr.io/org", "-u", "u", "-p", "p"], `✗ option '--url <host>' argument 'oci://ghcr.io/org' is invalid. want a registry host[:port] such as ghcr.io, without scheme or path, got "oci://ghcr.io/org"`],
    [["create", "secret", "oci", "x", "--url", "ghcr.io", "-u", "u"], "✗ required option '-p, --password <password>' not specified"],
    [["create", "secret", "proxy", "x", "--address", "socks5://proxy:1080"], `✗ option '--address <url>' argument 'socks5://proxy:1080' is invalid. want http://host:port or https://host:port, got "socks5://proxy:1080"`],
    [["create", "secret", "proxy", "x", "--address", "http://me:pw@proxy:3128"], `✗ option '--address <url>' argument 'http://me:pw@proxy:3128' is invalid. give the proxy's credentials with --username and --password, not in the address "http://me:pw@proxy:3128"`],
    [["create", "secret", "proxy", "x", "--address", "http://proxy:3128", "-u", "me"], "✗ --username and --password go together"],
    [["create", "source", "chart", "x", "--source", "HelmRepository/p"], "✗ --source needs --chart: the chart's name in the repository, or its path in Git or a bucket"],
    [["create", "source", "chart", "x", "--source", "OCIRepository/p", "--chart", "c"], `✗ option '--source <Kind/name[.namespace]>' argument 'OCIRepository/p' is invalid. source kind "OCIRepository" is not one of HelmRepository, GitRepository, Bucket`],
    [["create", "source", "chart", "x", "--source", "GitRepository/fleet", "--chart", "./c", "--chart-version", "1.x"], "✗ --chart-version is for HelmRepository sources: a chart from a GitRepository has the version in its Chart.yaml"],
    [["create", "source", "chart", "x", "--source", "HelmRepository/p.other", "--chart", "c"], "✗ a HelmChart reads its source from its own namespace: drop .other from --source, or create the chart there with -n other"],
  ];
  const files: Record<string, string> = { APP: join(dir, "app.pem"), EC: join(dir, "ec.pem"), JUNK: join(dir, "junk.pem") };
  await expectOneLineErrors(cases, n(), files);
  assert.equal(await api.find(secretRef, ns, "x"), undefined);
  assert.equal(await api.find(chartRef, ns, "x"), undefined);
});
