import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { readCrds, unestablishedCrds } from "../../src/dev/apply_crds.ts";
import { fakeNodeCount } from "../../src/dev/fake_nodes.ts";
import { kubeRequest } from "../../src/dev/kube_request.ts";
import { waitUntil } from "../../src/dev/wait_until.ts";
import { freshNamespace, kube, kubeOk, testConnection, testKubeconfig } from "../support/cluster.ts";

const root = join(import.meta.dirname, "..", "..");
const exec = promisify(execFile);

interface Condition {
  type: string;
  status: string;
}

test("the kwok nodes are Ready", async () => {
  const nodes = (await kubeOk({ path: "/api/v1/nodes" })).json<{
    items: { metadata: { name: string; annotations?: Record<string, string> }; status: { conditions: Condition[]; allocatable: Record<string, string> } }[];
  }>();
  const fake = nodes.items.filter((n) => n.metadata.annotations?.["kwok.x-k8s.io/node"] === "fake");
  assert.equal(fake.length, fakeNodeCount);
  for (const n of fake) {
    assert.ok(n.status.conditions.some((c) => c.type === "Ready" && c.status === "True"), `${n.metadata.name} Ready`);
    assert.ok(n.status.allocatable.cpu && n.status.allocatable.memory && n.status.allocatable.pods);
  }
});

test("a 2-replica Deployment becomes Available", async (t) => {
  const ns = await freshNamespace("deploy", t);
  const labels = { app: "web" };
  await kubeOk({
    method: "POST",
    path: `/apis/apps/v1/namespaces/${ns}/deployments`,
    body: {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web" },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: "web", image: "registry.invalid/web:1" }] } },
      },
    },
  });
  const status = await waitUntil(async () => {
    const d = (await kubeOk({ path: `/apis/apps/v1/namespaces/${ns}/deployments/web` })).json<{
      status?: { availableReplicas?: number; readyReplicas?: number; conditions?: Condition[] };
    }>();
    const available = d.status?.conditions?.some((c) => c.type === "Available" && c.status === "True");
    return available && d.status?.availableReplicas === 2 ? d.status : undefined;
  }, { timeoutMs: 60_000, what: "Deployment web to be Available with 2 replicas" });
  assert.equal(status.readyReplicas, 2);
  const pods = (await kubeOk({ path: `/api/v1/namespaces/${ns}/pods?labelSelector=app%3Dweb` })).json<{
    items: { spec: { nodeName?: string }; status: { phase: string } }[];
  }>();
  assert.equal(pods.items.length, 2);
  for (const p of pods.items) {
    assert.equal(p.status.phase, "Running");
    assert.match(p.spec.nodeName ?? "", /^kwok-node-/);
  }
});

test("GET /version reports v1.37.2", async () => {
  const version = (await kubeOk({ path: "/version" })).json<{ gitVersion: string; major: string; minor: string }>();
  assert.equal(version.gitVersion, "v1.37.2");
  assert.equal(version.major, "1");
  assert.equal(version.minor, "37");
});

test("every CRD in config/crd is Established", async () => {
  const crds = await readCrds(join(root, "config", "crd"));
  assert.ok(crds.length > 0);
  assert.deepEqual(await unestablishedCrds(testConnection(), crds.map((c) => c.name)), []);
});

test("GitRepositories are served as a table with the printer columns", async () => {
  const res = await kubeOk({
    path: "/apis/source.toolkit.fluxcd.io/v1/gitrepositories",
    accept: "application/json;as=Table;v=v1;g=meta.k8s.io",
  });
  const table = res.json<{ kind: string; columnDefinitions: { name: string }[] }>();
  assert.equal(table.kind, "Table");
  const names = table.columnDefinitions.map((c) => c.name);
  for (const column of ["Name", "URL", "Age", "Ready", "Status"]) assert.ok(names.includes(column), `column ${column} in ${names}`);
});

test("RBAC is enforced and impersonation works", async () => {
  const review = (await kubeOk({
    method: "POST",
    path: "/apis/authentication.k8s.io/v1/selfsubjectreviews",
    body: { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" },
    headers: { "Impersonate-User": "jane", "Impersonate-Group": "developers" },
  })).json<{ status: { userInfo: { username: string; groups: string[] } } }>();
  assert.equal(review.status.userInfo.username, "jane");
  assert.ok(review.status.userInfo.groups.includes("developers"));
  const denied = await kube({ path: "/api/v1/secrets", headers: { "Impersonate-User": "jane" } });
  assert.equal(denied.status, 403);
});

test("service-account tokens are signed and accepted", async (t) => {
  const ns = await freshNamespace("token", t);
  const token = (await kubeOk({
    method: "POST",
    path: `/api/v1/namespaces/${ns}/serviceaccounts/default/token`,
    body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { expirationSeconds: 600 } },
  })).json<{ status: { token: string } }>().status.token;
  const asServiceAccount = { server: testConnection().server, ca: testConnection().ca, token };
  const review = await kubeRequest(asServiceAccount, {
    method: "POST",
    path: "/apis/authentication.k8s.io/v1/selfsubjectreviews",
    body: { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" },
  });
  assert.equal(review.status, 201, review.body);
  assert.equal(review.json().status.userInfo.username, `system:serviceaccount:${ns}:default`);
});

test("`sluice dev status` reports the running cluster", async (t) => {
  const stateDir = dirname(testKubeconfig());
  if (!existsSync(join(stateDir, "state.json"))) {
    t.skip("SLUICE_TEST_KUBECONFIG is not a sluice dev cluster");
    return;
  }
  const { stdout } = await exec(join(root, "bin", "sluice"), ["dev", "status"], {
    env: { ...process.env, SLUICE_DEV_DIR: stateDir },
  });
  for (const name of ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"]) {
    assert.match(stdout, new RegExp(`^${name}\\s+\\d+\\s+\\d+\\s+yes$`, "m"));
  }
  assert.match(stdout, /readyz:\s+ok/);
  assert.match(stdout, new RegExp(`kubeconfig:\\s+${testKubeconfig().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
});
