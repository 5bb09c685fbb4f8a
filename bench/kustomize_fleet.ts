/**
 * Flux's fleet benchmark, on the local control plane: N Kustomizations from one GitRepository,
 * each applying a Deployment scaled to zero, a ServiceAccount, a Service and an Ingress with
 * wait: true. Prints the time from creation until all are Ready, objects applied per second, API
 * requests per object, peak RSS, and the API requests of a no-op reconcile of the whole fleet.
 *
 *   node bench/kustomize_fleet.ts [N=100] [--concurrent=10] [--kubeconfig=PATH]
 *
 * The GitRepository's artifact is served by the bench (standing in for the source controller), so
 * the figures are the kustomize controller's alone. RSS is this process's: controller plus driver.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import type { Kustomization } from "../src/api/kustomize/kustomization.ts";
import { devKubeconfigPath } from "../src/dev/paths.ts";
import { mapLimit } from "../src/runtime/apply/map_limit.ts";
import { defaultControllerFlags } from "../src/runtime/controller_flags.ts";
import { Informer } from "../src/runtime/cache/informer.ts";
import { KubeClient } from "../src/runtime/kube/client.ts";
import { fromKubeconfigFile } from "../src/runtime/kube/kubeconfig.ts";
import { ObjectApi } from "../src/runtime/kube/objects.ts";
import { Manager } from "../src/runtime/manager.ts";
import { createLogger } from "../src/runtime/ops/logger.ts";
import { findCondition } from "../src/runtime/status/conditions.ts";
import { registerKustomizeController } from "../src/kustomize/register.ts";
import { ArtifactServer, core, createGitRepository, ksRef, kustomization, kustomizeBinary } from "../test/e2e/kustomize_support.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { concurrent: { type: "string", default: "10" }, kubeconfig: { type: "string" } },
});
const n = Number(positionals[0] ?? 100);
const concurrent = Number(values.concurrent);
const kubeconfig = values.kubeconfig ?? process.env.SLUICE_TEST_KUBECONFIG ?? devKubeconfigPath();
if (!existsSync(kubeconfig)) throw new Error(`no kubeconfig at ${kubeconfig}: run \`sluice dev up\` first`);

const manifests = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: \${app}
---
apiVersion: v1
kind: Service
metadata:
  name: \${app}
spec:
  selector:
    app: \${app}
  ports:
  - port: 80
    targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: \${app}
spec:
  replicas: 0
  selector:
    matchLabels:
      app: \${app}
  template:
    metadata:
      labels:
        app: \${app}
    spec:
      serviceAccountName: \${app}
      containers:
      - name: app
        image: ghcr.io/stefanprodan/podinfo:6.7.1
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: \${app}
spec:
  rules:
  - host: \${app}.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: \${app}
            port: {number: 80}
`;

const connection = fromKubeconfigFile(kubeconfig);
const driver = new ObjectApi(new KubeClient(connection, { qps: 0 }));
const ns = `bench-ks-${randomBytes(3).toString("hex")}`;
await driver.create(core("namespaces", "Namespace", false), { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
const server = await new ArtifactServer().start();
const artifact = await server.publish({ "app/fleet.yaml": manifests });
await createGitRepository(driver, ns, "repo", artifact);

const manager = new Manager({ connection, name: "sluice-bench", namespace: ns, concurrent, qps: 0, log: createLogger("error") });
await registerKustomizeController(manager, defaultControllerFlags({ kustomizeBinary: kustomizeBinary(), requeueDependencyMs: 5_000 }));
await manager.start(() => undefined);

const watch = new Informer<Kustomization>(driver, { ref: ksRef, namespace: ns });
watch.start();
await watch.synced;
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

function until(what: string, done: () => boolean, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const tick = setInterval(() => {
      if (done()) {
        clearInterval(tick);
        resolve();
      } else if (Date.now() > deadline) {
        clearInterval(tick);
        reject(new Error(`timed out waiting for ${what}`));
      }
    }, 50);
  });
}
const allReady = () =>
  watch.size === n && watch.list().every((k) => findCondition(k, "Ready")?.status === "True" && k.status?.lastAppliedRevision === artifact.revision);

const objects = 4 * n;
const before = manager.client.requestCount;
const started = performance.now();
await mapLimit([...Array(n).keys()], 50, (i) =>
  driver.create(ksRef, kustomization(ns, `app-${i}`, {
    path: "./app", wait: true, targetNamespace: ns, interval: "1h", timeout: "5m", postBuild: { substitute: { app: `app-${i}` } },
  })),
);
await until(`${n} Kustomizations Ready`, allReady, 600_000);
const seconds = (performance.now() - started) / 1000;
const requests = manager.client.requestCount - before;

const token = `bench-${Date.now()}`;
const beforeNoop = manager.client.requestCount;
const noopStarted = performance.now();
await mapLimit(watch.list(), 50, (k) =>
  driver.mergePatch(ksRef, ns, k.metadata.name!, { metadata: { annotations: { "reconcile.fluxcd.io/requestedAt": token } } }),
);
await until("the no-op reconcile", () => watch.list().every((k) => k.status?.lastHandledReconcileAt === token), 600_000);
const noopSeconds = (performance.now() - noopStarted) / 1000;
const noopRequests = manager.client.requestCount - beforeNoop;
clearInterval(sampler);

console.log(`kustomize fleet: ${n} Kustomizations x 4 objects, one GitRepository, wait: true, --concurrent=${concurrent}`);
console.log(`  all Ready in            ${seconds.toFixed(1)}s`);
console.log(`  objects applied/s       ${(objects / seconds).toFixed(0)}`);
console.log(`  API requests            ${requests} (${(requests / objects).toFixed(2)} per object)`);
console.log(`  peak RSS                ${(peakRss / 1024 / 1024).toFixed(0)} MiB`);
console.log(`  no-op reconcile (requestedAt on all): ${noopSeconds.toFixed(1)}s, ${noopRequests} API requests = ${(noopRequests / objects).toFixed(2)} per managed object (incl. one status patch per Kustomization for lastHandledReconcileAt)`);

await mapLimit(watch.list(), 50, (k) => driver.delete(ksRef, ns, k.metadata.name!));
await until("Kustomizations finalized", () => watch.size === 0, 300_000).catch((e) => console.error(String(e)));
watch.stop();
await manager.stop();
await server.close();
await driver.delete(core("namespaces", "Namespace", false), undefined, ns);
await driver.client.close();
