import { type FSWatcher, watch } from "node:fs";
import { mkdir } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { kustomizationKind } from "../api/kustomize/kustomization.ts";
import { annotations, type KubeObject } from "../api/meta.ts";
import { gitRepositoryKind } from "../api/source/git_repository.ts";
import { toolBinary } from "../dev/build_tools.ts";
import { startDevCluster } from "../dev/cluster.ts";
import { startGitHttpServer } from "../dev/git_http_server.ts";
import { ensureSampleRepo } from "../dev/sample_repo.ts";
import { defaultControllerFlags } from "../runtime/controller_flags.ts";
import { fromKubeconfigFile } from "../runtime/kube/kubeconfig.ts";
import { refOfKind, type ResourceRef } from "../runtime/kube/resource_ref.ts";
import { Manager } from "../runtime/manager.ts";
import { createLogger, type LogLevel } from "../runtime/ops/logger.ts";
import { findCondition } from "../runtime/status/conditions.ts";
import { controllerSets } from "./controller_sets.ts";
import { parseDurationFlag } from "./flag_parsers.ts";

const namespace = "flux-system";
const name = "sample";
const fieldManager = "sluice-demo";
const kustomizationRef = refOfKind(kustomizationKind);
const gitRepositoryRef = refOfKind(gitRepositoryKind);
const namespaceRef: ResourceRef = { group: "", version: "v1", resource: "namespaces", kind: "Namespace", namespaced: false };
/** The namespace the sample app is deployed to (deploy/namespace.yaml). */
const sampleNamespace = "demo";

interface Reconciled extends KubeObject {
  status?: {
    conditions?: Array<{ type: string; status: string; message: string }>;
    artifact?: { revision: string };
    lastAppliedRevision?: string;
    inventory?: { entries: Array<{ id: string }> };
  };
}

/**
 * `sluice demo`: the whole loop on one machine — the local control plane, the controllers,
 * a sample Git repository served on 127.0.0.1, and a GitRepository plus Kustomization reconciling it.
 * Every commit in the sample work tree is applied within seconds; deleting a file prunes its object.
 */
export function demoCommand(): Command {
  return new Command("demo")
    .description("run the controllers against the local control plane with a sample Git repository")
    .option("--dir <path>", "where the sample repository and artifacts live", join(homedir(), ".sluice", "demo"))
    .option("--once", "exit once everything is Ready (the cluster stays up)")
    .option("--timeout <duration>", "how long to wait for Ready", parseDurationFlag, 180_000)
    .addHelpText(
      "after",
      "\nExample:\n  sluice demo\n  # in another terminal: edit ~/.sluice/demo/sample/deploy/configmap.yaml, then git commit -am change",
    )
    .action(async (o: { dir: string; once?: boolean; timeout: number }) => {
      const say = (line: string) => console.log(line);
      const cluster = await startDevCluster({ progress: (l) => say(`  ${l}`) });
      say(`control plane ready: ${cluster.server}`);

      const repo = await ensureSampleRepo(o.dir);
      const git = await startGitHttpServer(repo.gitRoot);
      const url = git.url("sample");
      say(`sample repository ${repo.work} served at ${url}`);

      const storagePath = join(o.dir, "artifacts");
      await mkdir(storagePath, { recursive: true });
      const manager = new Manager({
        connection: fromKubeconfigFile(cluster.kubeconfig),
        name: "sluice",
        // The sample lives in flux-system; other namespaces (other users of the dev cluster) are left alone.
        namespace,
        concurrent: 4,
        // The demo prints the sample's progress itself; controller logs on request.
        log: createLogger((process.env.SLUICE_LOG_LEVEL as LogLevel | undefined) ?? "fatal"),
        shutdownTimeoutMs: 5_000,
      });
      const flags = defaultControllerFlags({
        storagePath,
        storageAddr: "127.0.0.1:0",
        kustomizeBinary: toolBinary("kustomize"),
        requeueDependencyMs: 5_000,
      });
      for (const register of Object.values(controllerSets)) await register(manager, flags);
      await manager.start(() => process.exit(1));
      say("controllers running: source, kustomize");

      await applySample(manager, url);
      say(`applied GitRepository ${namespace}/${name} and Kustomization ${namespace}/${name} (path ./deploy, prune, wait)`);

      const ks = await waitReady(manager, o.timeout);
      say(`Kustomization ${namespace}/${name} is Ready at ${ks.status?.lastAppliedRevision}`);
      for (const e of ks.status?.inventory?.entries ?? []) say(`  applied ${describeInventoryId(e.id)}`);
      say(`\nkubectl --kubeconfig ${cluster.kubeconfig} get gitrepositories,kustomizations -A`);
      say(`kubectl --kubeconfig ${cluster.kubeconfig} -n demo get deploy,svc,cm`);

      const stop = async () => {
        await manager.stop();
        await git.stop();
      };
      if (o.once) {
        await stop();
        return;
      }
      say(`\nwatching ${repo.work}: commit a change there and it is applied within seconds (Ctrl-C to stop; \`sluice dev down\` stops the cluster)`);
      const watcher = followCommits(manager, repo.bare, say);
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      watcher.close();
      await stop();
    });
}

async function applySample(manager: Manager, url: string): Promise<void> {
  const api = manager.api;
  // A sample left from an earlier run may still be finalizing: applying to it now would be lost.
  for (const ref of [kustomizationRef, gitRepositoryRef]) await waitGone(manager, ref, namespace, name);
  await waitGone(manager, namespaceRef, undefined, sampleNamespace);
  await api.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } }, { fieldManager });
  await api.apply(
    {
      apiVersion: "source.toolkit.fluxcd.io/v1",
      kind: "GitRepository",
      metadata: { name, namespace },
      spec: { url, interval: "1m", ref: { branch: "main" } },
    },
    { fieldManager, force: true },
  );
  await api.apply(
    {
      apiVersion: "kustomize.toolkit.fluxcd.io/v1",
      kind: "Kustomization",
      metadata: { name, namespace },
      spec: {
        interval: "10m",
        retryInterval: "15s",
        path: "./deploy",
        prune: true,
        wait: true,
        timeout: "2m",
        sourceRef: { kind: "GitRepository", name },
      },
    },
    { fieldManager, force: true },
  );
}

async function waitGone(manager: Manager, ref: ResourceRef, ns: string | undefined, objectName: string): Promise<void> {
  for (let waited = 0; waited < 120_000; waited += 250) {
    const existing = await manager.api.find(ref, ns, objectName);
    if (!existing?.metadata.deletionTimestamp) return;
    if (waited === 0) console.log(`  waiting for ${ref.kind} ${ns ? `${ns}/` : ""}${objectName} from an earlier run to be deleted`);
    await sleep(250);
  }
  throw new Error(`${ref.kind} ${ns ? `${ns}/` : ""}${objectName} from an earlier run is still being deleted; check its finalizers`);
}

/** Resolves with the Kustomization once it is Ready at the revision the GitRepository currently serves. */
function waitReady(manager: Manager, timeoutMs: number): Promise<Reconciled> {
  const kustomizations = manager.cache.informer<Reconciled>(kustomizationRef, { scoped: true });
  const repositories = manager.cache.informer<Reconciled>(gitRepositoryRef, { scoped: true });
  return new Promise((resolve, reject) => {
    let lastMessage = "";
    const offs: Array<() => void> = [];
    const finish = (err?: Error) => {
      clearTimeout(timer);
      for (const off of offs) off();
      if (err) reject(err);
      else resolve(kustomizations.get(namespace, name)!);
    };
    const timer = setTimeout(() => finish(new Error(`the sample was not Ready within ${timeoutMs / 1000}s: ${lastMessage}`)), timeoutMs);
    const check = () => {
      const ks = kustomizations.get(namespace, name);
      const served = repositories.get(namespace, name)?.status?.artifact?.revision;
      const ready = ks && findCondition(ks as never, "Ready");
      if (!ks || !ready) return;
      if (ready.message !== lastMessage) {
        lastMessage = ready.message;
        console.log(`  Kustomization ${ready.status === "True" ? "Ready" : "not ready yet"}: ${ready.message}`);
      }
      const current = ks.metadata.generation === (ks.status as { observedGeneration?: number })?.observedGeneration;
      if (ready.status === "True" && current && served && ks.status?.lastAppliedRevision === served) finish();
    };
    // Registration replays cached objects synchronously; check once everything is wired.
    queueMicrotask(() => {
      offs.push(kustomizations.on(check), repositories.on(check));
      check();
    });
  });
}

/** A push to the bare repository requests an immediate reconcile of the GitRepository, as a webhook would. */
function followCommits(manager: Manager, bare: string, say: (line: string) => void): FSWatcher {
  let lastApplied = "";
  manager.cache.informer<Reconciled>(kustomizationRef, { scoped: true }).on(({ object }) => {
    if (object.metadata.name !== name) return;
    const rev = object.status?.lastAppliedRevision ?? "";
    if (lastApplied && rev && rev !== lastApplied) say(`applied ${rev}`);
    const ready = findCondition(object as never, "Ready");
    if (ready?.status === "False") say(`not ready: ${ready.message}`);
    if (rev) lastApplied = rev;
  });
  let pending: NodeJS.Timeout | undefined;
  return watch(join(bare, "refs", "heads"), () => {
    clearTimeout(pending);
    pending = setTimeout(() => {
      say("new commit pushed: reconciling");
      void manager.api
        .mergePatch(
          gitRepositoryRef,
          namespace,
          name,
          { metadata: { annotations: { [annotations.requestedAt]: new Date().toISOString() } } },
        )
        .catch((err: unknown) => say(`could not request a reconcile: ${(err as Error).message}`));
    }, 100);
  });
}

/** "demo_podinfo_apps_Deployment" → "Deployment demo/podinfo" */
function describeInventoryId(id: string): string {
  const [ns, objName, , kind] = id.split("_");
  return `${kind} ${ns ? `${ns}/` : ""}${objName}`;
}
