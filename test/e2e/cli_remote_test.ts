/**
 * tree and diff kustomization for a Kustomization with spec.kubeConfig: the kubeconfig Secret is read
 * as the CLI user and the objects are looked up (tree) and dry-run (diff) on the cluster it names.
 * The "remote" cluster is the test API server reached as ServiceAccount `remote`, which may use
 * ConfigMaps and read Kustomizations but not Secrets, so what it cannot see shows that the remote
 * identity was used. No controller runs: the test writes the inventories itself.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { freePort } from "../../src/dev/free_ports.ts";
import { freshNamespace } from "../support/cluster.ts";
import { configMapRules, kubeconfigFor, serviceAccount, serviceAccountToken } from "../support/service_accounts.ts";
import { kustomization, kustomizationRef, sluice, testApi } from "./cli_support.ts";
import { core } from "./kustomize_support.ts";

const ns = await freshNamespace("cli-remote");
const api = testApi();
const n = ["-n", ns];
const server = kubeconfigFor({}).match(/server: (\S+)/)![1];
let dir: string;

const entry = (namespace: string, name: string, group: string, kind: string) => ({ id: `${namespace}_${name}_${group}_${kind}`, v: "v1" });
const secret = (name: string, value: string) =>
  api.apply({ apiVersion: "v1", kind: "Secret", metadata: { name, namespace: ns }, stringData: { value } } as never, { fieldManager: "test", force: true });
const configMap = (name: string, data: Record<string, string>) => api.create(core("configmaps", "ConfigMap"), { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: ns }, data });
const remoteKs = (name: string, secretName: string, spec: Record<string, unknown> = {}) =>
  api.apply(kustomization(ns, name, { targetNamespace: ns, kubeConfig: { secretRef: { name: secretName } }, ...spec }), { fieldManager: "test" });

before(async () => {
  await serviceAccount(api, ns, "remote", [
    ...configMapRules,
    { apiGroups: ["kustomize.toolkit.fluxcd.io"], resources: ["kustomizations"], verbs: ["get"] },
  ]);
  const token = await serviceAccountToken(api, ns, "remote");
  await secret("edge-kubeconfig", kubeconfigFor({ token }));
  await secret("dead-kubeconfig", kubeconfigFor({ token }, { server: `https://127.0.0.1:${await freePort()}` }));
  await secret("exec-kubeconfig", kubeconfigFor({ exec: { apiVersion: "client.authentication.k8s.io/v1", command: "/bin/false", interactiveMode: "Never" } }));
  await configMap("present", { a: "1" });
  await configMap("child-cfg", { a: "1" });
  await api.create(core("secrets", "Secret"), { apiVersion: "v1", kind: "Secret", metadata: { name: "hidden", namespace: ns }, stringData: { k: "v" } });

  await remoteKs("edge", "edge-kubeconfig");
  await remoteKs("nested", "edge-kubeconfig");
  await api.apply(kustomization(ns, "child"), { fieldManager: "test" });
  await api.mergePatch(kustomizationRef, ns, "edge", {
    status: { inventory: { entries: [entry(ns, "present", "", "ConfigMap"), entry(ns, "absent", "", "ConfigMap"), entry(ns, "hidden", "", "Secret"), entry(ns, "child", "kustomize.toolkit.fluxcd.io", "Kustomization"), entry(ns, "gone", "kustomize.toolkit.fluxcd.io", "Kustomization")] } },
  }, "status");
  await api.mergePatch(kustomizationRef, ns, "child", { status: { inventory: { entries: [entry(ns, "child-cfg", "", "ConfigMap"), entry(ns, "child-gone", "", "ConfigMap")] } } }, "status");
  await remoteKs("missing-secret", "nope");
  await remoteKs("dead", "dead-kubeconfig");
  await remoteKs("exec", "exec-kubeconfig");

  dir = await mkdtemp(join(tmpdir(), "sluice-remote-diff-"));
  await mkdir(join(dir, "app"));
  await writeFile(join(dir, "app", "present.yaml"), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: present\ndata:\n  a: "2"\n`);
  await writeFile(join(dir, "app", "new.yaml"), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: new\ndata:\n  a: "1"\n`);
  await mkdir(join(dir, "secret"));
  await writeFile(join(dir, "secret", "s.yaml"), `apiVersion: v1\nkind: Secret\nmetadata:\n  name: hidden\nstringData:\n  k: v\n`);
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
  await api.client.close();
});

test("tree: the inventory of a spec.kubeConfig Kustomization is looked up on the remote cluster, as the kubeconfig's user", async () => {
  const r = await sluice(["tree", "ks", "edge", ...n]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.trimEnd().split("\n"), [
    `Kustomization/${ns}/edge (on ${server})`,
    `├── ConfigMap/${ns}/present`,
    `├── ConfigMap/${ns}/absent (not found)`,
    `├── Secret/${ns}/hidden (not readable (Forbidden))`,
    `├── Kustomization/${ns}/child`,
    `│   ├── ConfigMap/${ns}/child-cfg`,
    `│   └── ConfigMap/${ns}/child-gone (not found)`,
    `└── Kustomization/${ns}/gone (not found)`,
  ]);
  const json = JSON.parse((await sluice(["tree", "ks", "edge", "--compact", "-o", "json", ...n])).stdout);
  assert.equal(json.cluster, server);
  assert.deepEqual(json.resources.map((c: { resource: { name: string } }) => c.resource.name), ["child", "gone"]);
});

test("diff: a spec.kubeConfig Kustomization is dry-run on the remote cluster, as the kubeconfig's user", async () => {
  const r = await sluice(["diff", "ks", "nested", "--path", join(dir, "app"), ...n]);
  assert.equal(r.code, 1, r.stderr);
  assert.ok(r.stdout.includes(`► ConfigMap/${ns}/present configured\n    data.a\n      - "1"\n      + "2"\n`), r.stdout);
  assert.match(r.stdout, new RegExp(`► ConfigMap/${ns}/new created`));
  // The kubeconfig's user may not read Secrets, though the CLI user may.
  const denied = await sluice(["diff", "ks", "nested", "--path", join(dir, "secret"), ...n]);
  assert.equal(denied.code, 2, denied.stderr);
  assert.match(denied.stderr, new RegExp(`^✗ Kustomization ${ns}/nested on ${server.replace(/[.]/g, "\\.")}: secrets "hidden" is forbidden: User "system:serviceaccount:${ns}:remote" cannot get`));
  assert.equal(denied.stderr.trimEnd().split("\n").length, 1, denied.stderr);
});

test("tree and diff: a missing Secret, an unreachable server or a refused kubeconfig is one line", async () => {
  const cases: Array<[string, RegExp]> = [
    ["missing-secret", new RegExp(`^✗ Kustomization ${ns}/missing-secret: unable to read KubeConfig secret '${ns}/nope': not found$`)],
    ["dead", new RegExp(`^✗ Kustomization ${ns}/dead: cannot reach the cluster at https://127\\.0\\.0\\.1:\\d+ \\(KubeConfig secret '${ns}/dead-kubeconfig' key 'value'\\): .*ECONNREFUSED`)],
    ["exec", new RegExp(`^✗ Kustomization ${ns}/exec: KubeConfig secret '${ns}/exec-kubeconfig' key 'value': invalid kubeconfig: user "test" runs an exec credential plugin \\(/bin/false\\), which is refused without --insecure-kubeconfig-exec`)],
  ];
  for (const [name, message] of cases) {
    const tree = await sluice(["tree", "ks", name, ...n]);
    assert.equal(tree.code, 1, `tree ${name}: ${tree.stderr}`);
    assert.match(tree.stderr.trimEnd(), message, `tree ${name}`);
    assert.equal(tree.stderr.trimEnd().split("\n").length, 1, tree.stderr);
    const diff = await sluice(["diff", "ks", name, "--path", join(dir, "app"), ...n]);
    assert.equal(diff.code, 2, `diff ${name}: ${diff.stderr}`);
    assert.match(diff.stderr.trimEnd(), message, `diff ${name}`);
    assert.equal(diff.stderr.trimEnd().split("\n").length, 1, diff.stderr);
  }
  // With the flag the plugin runs; /bin/false fails, and says so.
  const exec = await sluice(["tree", "ks", "exec", "--insecure-kubeconfig-exec", ...n]);
  assert.equal(exec.code, 1);
  assert.match(exec.stderr, /^✗ Kustomization .*\/exec: cannot reach the cluster at .*: exec credential plugin "\/bin\/false" exited with code 1\n$/);
});
