/**
 * Small helpers for tests that talk to the test cluster (see global_setup.ts). Not a Kubernetes client:
 * the project's client lives in src/runtime.
 */
import { randomBytes } from "node:crypto";
import { after, type TestContext } from "node:test";
import { type KubeRequest, type KubeResponse, kubeRequest, kubeRequestOk } from "../../src/dev/kube_request.ts";
import { type KubeConnection, readKubeconfig } from "../../src/dev/read_kubeconfig.ts";
import { waitUntil } from "../../src/dev/wait_until.ts";

/** Path of the test cluster's admin kubeconfig. */
export function testKubeconfig(): string {
  const path = process.env.SLUICE_TEST_KUBECONFIG;
  if (!path) {
    throw new Error("SLUICE_TEST_KUBECONFIG is not set: run tests with --test-global-setup=test/support/global_setup.ts (npm test), or point it at a kubeconfig");
  }
  return path;
}

let connection: KubeConnection | undefined;

/** Server URL and admin client certificate of the test cluster. */
export function testConnection(): KubeConnection {
  connection ??= readKubeconfig(testKubeconfig());
  return connection;
}

/** One request to the test cluster as admin. */
export function kube(req: KubeRequest): Promise<KubeResponse> {
  return kubeRequest(testConnection(), req);
}

/** One request to the test cluster as admin; throws unless 2xx. */
export function kubeOk(req: KubeRequest): Promise<KubeResponse> {
  return kubeRequestOk(testConnection(), req);
}

/**
 * Namespaces made without a test context are deleted when the test file ends: this `after` is
 * registered when the module is first imported, at the top level, so it belongs to the whole file
 * (an `after` called inside a `before` hook would run right after that hook).
 */
const fileCleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const cleanup of fileCleanups.splice(0)) await cleanup();
});

/** The Flux kinds whose objects a Sluice controller holds with a finalizer. */
const finalizedKinds = [
  "source.toolkit.fluxcd.io/v1/gitrepositories",
  "source.toolkit.fluxcd.io/v1/helmrepositories",
  "source.toolkit.fluxcd.io/v1/helmcharts",
  "source.toolkit.fluxcd.io/v1/ocirepositories",
  "source.toolkit.fluxcd.io/v1/buckets",
  "kustomize.toolkit.fluxcd.io/v1/kustomizations",
  "helm.toolkit.fluxcd.io/v2/helmreleases",
];

/**
 * Deletes a test namespace for good. A test's controllers often stop before they finalize what the
 * test made, and a namespace held by those finalizers would stay Terminating for the rest of the run,
 * with the namespace controller listing every kind in it again and again: load on the API server that
 * slows every later test. So what is left is deleted and its finalizers dropped.
 */
async function deleteNamespace(name: string): Promise<void> {
  await kube({ method: "DELETE", path: `/api/v1/namespaces/${name}` });
  await Promise.all(finalizedKinds.map(async (kind) => {
    const [group, version, resource] = kind.split("/");
    const path = `/apis/${group}/${version}/namespaces/${name}/${resource}`;
    // Marked deleted first, so a controller still running does not put its finalizer back.
    await kube({ method: "DELETE", path });
    const list = await kube({ path });
    if (list.status !== 200) return;
    const held = list.json<{ items: Array<{ metadata: { name: string; finalizers?: string[] } }> }>().items.filter((o) => o.metadata.finalizers?.length);
    for (const o of held) {
      await kube({ method: "PATCH", path: `${path}/${o.metadata.name}`, body: { metadata: { finalizers: null } }, contentType: "application/merge-patch+json" });
    }
  }));
}

/**
 * Creates a namespace named `<prefix>-<random>` and deletes it after the test (with `t`) or after the
 * current suite/file (without). Resolves once its default ServiceAccount exists, so Pods can be created.
 */
export async function freshNamespace(prefix: string, t?: TestContext): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString("hex")}`.toLowerCase().slice(0, 63);
  await kubeOk({ method: "POST", path: "/api/v1/namespaces", body: { apiVersion: "v1", kind: "Namespace", metadata: { name } } });
  const cleanup = () => deleteNamespace(name);
  if (t) t.after(cleanup);
  else fileCleanups.push(cleanup);
  await waitUntil(async () => (await kube({ path: `/api/v1/namespaces/${name}/serviceaccounts/default` })).status === 200, {
    timeoutMs: 30_000,
    what: `the default ServiceAccount of namespace ${name}`,
  });
  return name;
}
