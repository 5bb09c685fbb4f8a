/**
 * Fixtures for the Kustomization end-to-end tests: an HTTP server publishing tar.gz artifacts,
 * a GitRepository whose status.artifact the test writes (standing in for the source controller),
 * and a kustomize controller running in the test process, scoped to one namespace.
 */
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before } from "node:test";
import { gzipSync } from "node:zlib";
import tar from "tar-stream";
import type { Kustomization, KustomizationSpec } from "../../src/api/kustomize/kustomization.ts";
import type { Artifact, KubeObject } from "../../src/api/meta.ts";
import { binaryPath } from "../../src/dev/build_tools.ts";
import { componentByName } from "../../src/dev/components.ts";
import type { ControllerFlags } from "../../src/runtime/controller_flags.ts";
import type { ObjectApi } from "../../src/runtime/kube/objects.ts";
import type { ResourceRef } from "../../src/runtime/kube/resource_ref.ts";
import { findCondition } from "../../src/runtime/status/conditions.ts";
import { startTestManager, type TestManager } from "../support/test_manager.ts";

export const ksRef: ResourceRef = { group: "kustomize.toolkit.fluxcd.io", version: "v1", resource: "kustomizations", kind: "Kustomization", namespaced: true };
export const gitRef: ResourceRef = { group: "source.toolkit.fluxcd.io", version: "v1", resource: "gitrepositories", kind: "GitRepository", namespaced: true };
export const core = (resource: string, kind: string, namespaced = true): ResourceRef => ({ group: "", version: "v1", resource, kind, namespaced });
export const deploymentRef: ResourceRef = { group: "apps", version: "v1", resource: "deployments", kind: "Deployment", namespaced: true };

export type Files = Record<string, string | { symlink: string }>;

export async function tarball(files: Files): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, body] of Object.entries(files)) {
    if (typeof body === "string") pack.entry({ name }, body);
    else pack.entry({ name, type: "symlink", linkname: body.symlink });
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return gzipSync(Buffer.concat(chunks));
}

/** Serves artifacts at /<n>.tar.gz; `publish` returns the status.artifact to write. */
export class ArtifactServer {
  readonly #files = new Map<string, Buffer>();
  #server!: Server;
  #base = "";
  #n = 0;
  requests = 0;

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      this.requests++;
      const body = this.#files.get(req.url ?? "");
      if (!body) return res.writeHead(404).end();
      res.writeHead(200, { "content-type": "application/gzip" }).end(body);
    });
    await new Promise<void>((r) => this.#server.listen(0, "127.0.0.1", r));
    this.#base = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async publish(files: Files, opts: { digest?: string; raw?: Buffer } = {}): Promise<Artifact> {
    const body = opts.raw ?? (await tarball(files));
    const n = ++this.#n;
    const path = `/${n}.tar.gz`;
    this.#files.set(path, body);
    const hex = createHash("sha256").update(body).digest("hex");
    const rev = createHash("sha1").update(`${n}${hex}`).digest("hex");
    return {
      digest: opts.digest ?? `sha256:${hex}`,
      lastUpdateTime: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      path: `gitrepository/test/${n}.tar.gz`,
      revision: `main@sha1:${rev}`,
      size: body.length,
      url: `${this.#base}${path}`,
    };
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((r) => this.#server.close(() => r()));
  }
}

/** A GitRepository whose artifact the test sets through the status subresource. */
export async function createGitRepository(api: ObjectApi, ns: string, name: string, artifact?: Artifact): Promise<void> {
  await api.create(gitRef, {
    apiVersion: "source.toolkit.fluxcd.io/v1",
    kind: "GitRepository",
    metadata: { name, namespace: ns },
    // Suspended, so that a source controller running elsewhere on the shared cluster leaves it alone.
    spec: { url: "https://example.invalid/repo.git", interval: "1h", ref: { branch: "main" }, suspend: true },
  });
  if (artifact) await setArtifact(api, ns, name, artifact);
}

export async function setArtifact(api: ObjectApi, ns: string, name: string, artifact: Artifact): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  await api.mergePatch(gitRef, ns, name, {
    status: {
      artifact,
      conditions: [{ type: "Ready", status: "True", reason: "Succeeded", message: `stored artifact for revision '${artifact.revision}'`, lastTransitionTime: now, observedGeneration: 1 }],
      observedGeneration: 1,
    },
  }, "status");
}

export function kustomization(ns: string, name: string, spec: Partial<KustomizationSpec>, metadata: Partial<KubeObject["metadata"]> = {}): Kustomization {
  return {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    metadata: { name, namespace: ns, ...metadata },
    spec: { interval: "10m", prune: true, sourceRef: { kind: "GitRepository", name: "repo" }, ...spec },
  };
}

export function kustomizeBinary(): string {
  return binaryPath(componentByName("kustomize"), "kustomize");
}

/**
 * The kustomize controller alone (the test stands in for the source controller). On cleanup the
 * test's Kustomizations are deleted and finalized before the controller stops, so the namespace
 * (and any cluster-scoped object they applied) goes away cleanly.
 */
export async function startKustomize(ns: string, t: { after(fn: () => Promise<void>): void }, flags: Partial<ControllerFlags> = {}): Promise<TestManager> {
  const tm = await startTestManager(ns, ["kustomize"], { flags: { kustomizeBinary: kustomizeBinary(), ...flags } });
  t.after(async () => {
    const api = tm.manager.api;
    const list = await api.list<Kustomization>(ksRef, ns);
    await Promise.all(list.items.map((k) => api.delete(ksRef, ns, k.metadata.name!)));
    await eventually("the test's Kustomizations finalized", async () => (await api.list(ksRef, ns)).items.length === 0 || undefined, 20_000).catch(async () => {
      for (const k of (await api.list<Kustomization>(ksRef, ns)).items) {
        await api.mergePatch(ksRef, ns, k.metadata.name!, { metadata: { finalizers: null } }).catch(() => undefined);
      }
    });
    await tm.stop();
  });
  return tm;
}

/** A CRD without a status subresource, so manifests can carry the status a health check reads. */
export function gizmoCrd(ns: string): { yaml: string; group: string } {
  const group = `${ns}.e2e.sluice.dev`;
  const yaml = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gizmos.${group}
spec:
  group: ${group}
  names: {kind: Gizmo, plural: gizmos, singular: gizmo, listKind: GizmoList}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
`;
  return { yaml, group };
}

export function gizmo(group: string, name: string, status: Record<string, unknown>): string {
  return `apiVersion: ${group}/v1\nkind: Gizmo\nmetadata:\n  name: ${name}\nspec: {size: 1}\nstatus: ${JSON.stringify(status)}\n`;
}

export async function eventually<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const getKs = (api: ObjectApi, ns: string, name: string) => api.get<Kustomization>(ksRef, ns, name);
export const readyOf = (ks: Kustomization) => findCondition(ks, "Ready");

/** Waits until the Kustomization's Ready condition matches (for its latest generation). */
export function waitReady(api: ObjectApi, ns: string, name: string, want: { status?: string; reason?: string; revision?: string } = {}, timeoutMs = 30_000): Promise<Kustomization> {
  return eventually(`Kustomization ${ns}/${name} ${JSON.stringify(want)}`, async () => {
    const ks = await getKs(api, ns, name);
    const r = readyOf(ks);
    if (!r || ks.status?.observedGeneration !== ks.metadata.generation) return undefined;
    if (r.status !== (want.status ?? "True")) return undefined;
    if (want.reason && r.reason !== want.reason) return undefined;
    if (want.revision && ks.status?.lastAppliedRevision !== want.revision) return undefined;
    return ks;
  }, timeoutMs);
}

export const yamlDocs = (...docs: string[]) => docs.map((d) => d.trim()).join("\n---\n") + "\n";

export function configMap(name: string, data: Record<string, string> = { a: "1" }): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n${Object.entries(data).map(([k, v]) => `  ${k}: "${v}"`).join("\n")}\n`;
}

export function deployment(name: string, replicas = 0, image = "nginx:1.27"): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: app
        image: ${image}
`;
}

export function service(name: string): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector: {app: ${name}}
  ports:
  - port: 80
    targetPort: 8080
`;
}

/** An ArtifactServer for the enclosing describe(): started before its tests, closed after them. */
export function artifactServerForSuite(): ArtifactServer {
  const server = new ArtifactServer();
  before(() => server.start());
  after(() => server.close());
  return server;
}
