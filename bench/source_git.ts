/**
 * Source controller costs, printed side by side (not asserted):
 *   1. a no-op poll (ref unchanged): ms and git processes started, on the real control plane;
 *   2. clone + package of a generated repository (5,000 files, 50 MB): time and peak RSS,
 *      against plain `git clone --depth 1` + `tar czf` of the same tree;
 *   3. 100 GitRepositories against one local git server: first fetches/s, then no-op polls/s.
 *
 *   node bench/source_git.ts            (uses SLUICE_TEST_KUBECONFIG or ~/.sluice/dev/kubeconfig)
 *   node bench/source_git.ts --pack-only   (2. alone; no control plane needed)
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { promisify } from "node:util";
import type { GitRepository } from "../src/api/source/git_repository.ts";
import { packArchive } from "../src/runtime/artifact/pack_archive.ts";
import { defaultControllerFlags } from "../src/runtime/controller_flags.ts";
import { fromKubeconfigFile } from "../src/runtime/kube/kubeconfig.ts";
import { Manager } from "../src/runtime/manager.ts";
import { createLogger } from "../src/runtime/ops/logger.ts";
import { findCondition } from "../src/runtime/status/conditions.ts";
import { GitSession } from "../src/source/git/git_session.ts";
import { gitProcessesStarted } from "../src/source/git/run_git.ts";
import { loadSourceIgnore } from "../src/source/ignore/source_ignore.ts";
import { registerSourceController } from "../src/source/register.ts";
import { GitFixtures, startGitHttpServer } from "../test/support/git_server.ts";

const exec = promisify(execFile);
const node = process.execPath;

// Child mode: clone + package one URL, print elapsed ms (peak RSS is measured by /usr/bin/time).
if (process.argv[2] === "--pack") {
  const [url, out] = process.argv.slice(3);
  const t0 = performance.now();
  const session = await GitSession.open(url, {}, new AbortController().signal);
  const work = await mkdtemp(join(tmpdir(), "bench-pack-"));
  const remote = await session.resolve({ branch: "main" });
  await session.checkout(remote, join(work, "src"), { maxBytes: 4 * 1024 ** 3 });
  const ignore = await loadSourceIgnore(join(work, "src"));
  const cloneMs = performance.now() - t0;
  // How long other work (another reconcile's callbacks) waits while packing runs: the event
  // loop's delay histogram, and the worst lateness of a 5 ms timer.
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  let worstLate = 0;
  let expected = performance.now() + 5;
  const ticker = setInterval(() => {
    const now = performance.now();
    worstLate = Math.max(worstLate, now - expected);
    expected = now + 5;
  }, 5);
  const p0 = performance.now();
  const packed = await packArchive(join(work, "src"), createWriteStream(out), { ignore });
  const packMs = performance.now() - p0;
  clearInterval(ticker);
  loop.disable();
  const stall = { maxMs: loop.max / 1e6, p99Ms: loop.percentile(99) / 1e6, timerLateMs: worstLate };
  console.log(JSON.stringify({ ms: performance.now() - t0, cloneMs, packMs, stall, size: packed.size, files: packed.files }));
  await session.close();
  await rm(work, { recursive: true, force: true });
  process.exit(0);
}

const fmtMs = (ms: number) => `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MiB`;

async function timed(cmd: string[]): Promise<{ ms: number; rssKb: number; stdout: string }> {
  const t0 = performance.now();
  const { stdout, stderr } = await exec("/usr/bin/time", ["-f", "RSS_KB=%M", ...cmd], { maxBuffer: 16 * 1024 * 1024 });
  const ms = performance.now() - t0;
  return { ms, rssKb: Number(/RSS_KB=(\d+)/.exec(stderr)?.[1] ?? 0), stdout };
}

const git = await GitFixtures.create();
const http = await startGitHttpServer(git.root);
try {
  // 2. Clone + package of a generated repository.
  const big = await git.repo("big");
  const files: Record<string, string> = {};
  for (let i = 0; i < 5000; i++) files[`dir${i % 50}/file${i}.yaml`] = randomBytes(7_800).toString("base64");
  await big.commit(files, "5000 files");
  const out = await mkdtemp(join(tmpdir(), "bench-out-"));
  const ours = await timed([node, import.meta.filename, "--pack", http.url("big"), join(out, "ours.tar.gz")]);
  const oursInner = JSON.parse(ours.stdout) as { ms: number; cloneMs: number; packMs: number; stall: { maxMs: number; p99Ms: number; timerLateMs: number }; size: number };
  const baseDir = join(out, "clone");
  const base = await timed(["sh", "-c", `git clone -q --depth 1 --single-branch -b main '${http.url("big")}' '${baseDir}' && tar czf '${join(out, "base.tar.gz")}' -C '${baseDir}' --exclude=.git .`]);
  const baseSize = Number((await exec("stat", ["-c", "%s", join(out, "base.tar.gz")])).stdout);
  await rm(out, { recursive: true, force: true });

  // 1 and 3 need the control plane.
  const kubeconfig = process.env.SLUICE_TEST_KUBECONFIG ?? join(homedir(), ".sluice/dev/kubeconfig");
  let cluster: string[] = [];
  if (process.argv.includes("--pack-only")) cluster = ["(--pack-only: poll benchmarks skipped)"];
  else if (existsSync(kubeconfig)) cluster = await clusterBenches(kubeconfig, git, http);
  else cluster = [`(no control plane at ${kubeconfig}: poll benchmarks skipped)`];

  console.log("\nsource controller, GitRepository (printed, not asserted)");
  console.log(`clone + package, 5,000 files / 50 MB:`);
  console.log(`  sluice (ls-remote + shallow fetch + checkout + deterministic tar.gz + sha256): ${fmtMs(oursInner.ms)} inside, ${fmtMs(ours.ms)} with node start-up; peak RSS ${mb(ours.rssKb)}; ${(oursInner.size / 1e6).toFixed(1)} MB`);
  console.log(`    of which fetch + checkout ${fmtMs(oursInner.cloneMs)}, package ${fmtMs(oursInner.packMs)}`);
  console.log(`    event loop while packaging: longest block ${fmtMs(oursInner.stall.maxMs)}, p99 ${fmtMs(oursInner.stall.p99Ms)}; a 5 ms timer ran at most ${fmtMs(oursInner.stall.timerLateMs)} late`);
  console.log(`  git clone --depth 1 + tar czf:                                              ${fmtMs(base.ms)}; peak RSS ${mb(base.rssKb)}; ${(baseSize / 1e6).toFixed(1)} MB`);
  for (const line of cluster) console.log(line);
} finally {
  await http.stop();
  await git.cleanup();
}

async function clusterBenches(kubeconfig: string, fixtures: GitFixtures, server: Awaited<ReturnType<typeof startGitHttpServer>>): Promise<string[]> {
  const lines: string[] = [];
  const ns = `bench-source-${randomBytes(3).toString("hex")}`;
  const storage = await mkdtemp(join(tmpdir(), "bench-artifacts-"));
  const manager = new Manager({ connection: fromKubeconfigFile(kubeconfig), name: "sluice", namespace: ns, concurrent: 10, qps: 0, log: createLogger("error") });
  const nsRef = { group: "", version: "v1", resource: "namespaces", kind: "Namespace", namespaced: false };
  const repoRef = { group: "source.toolkit.fluxcd.io", version: "v1", resource: "gitrepositories", kind: "GitRepository", namespaced: true };
  await manager.api.create(nsRef, { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
  await registerSourceController(manager, defaultControllerFlags({ storagePath: storage, storageAddr: "127.0.0.1:0" }));
  await manager.start(() => undefined);
  const create = (name: string, url: string) =>
    manager.api.create(repoRef, { apiVersion: "source.toolkit.fluxcd.io/v1", kind: "GitRepository", metadata: { name, namespace: ns }, spec: { interval: "1h", url, ref: { branch: "main" } } });
  const waitAll = async (names: string[], ok: (r: GitRepository) => boolean) => {
    const pending = new Set(names);
    while (pending.size > 0) {
      const list = await manager.api.list<GitRepository>(repoRef, ns);
      for (const r of list.items) if (ok(r)) pending.delete(r.metadata.name!);
      if (pending.size > 0) await new Promise((r) => setTimeout(r, 25));
    }
  };
  const ready = (r: GitRepository) => findCondition(r as never, "Ready")?.status === "True";
  const request = (name: string, at: string) => manager.api.mergePatch(repoRef, ns, name, { metadata: { annotations: { "reconcile.fluxcd.io/requestedAt": at } } });
  try {
    // 1. No-op poll.
    const small = await fixtures.repo("small");
    await small.commit({ "deploy/app.yaml": "kind: ConfigMap\n" });
    await create("one", server.url("small"));
    await waitAll(["one"], ready);
    const runs = 20;
    const procs0 = gitProcessesStarted();
    const fetches0 = server.stats.fetches;
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) {
      const at = `poll-${i}`;
      await request("one", at);
      await waitAll(["one"], (r) => r.status?.lastHandledReconcileAt === at);
    }
    const perPoll = (performance.now() - t0) / runs;
    const procs = (gitProcessesStarted() - procs0) / runs;
    const session = await GitSession.open(server.url("small"), {}, new AbortController().signal);
    const r0 = performance.now();
    for (let i = 0; i < runs; i++) await session.resolve({ branch: "main" });
    const lsRemote = (performance.now() - r0) / runs;
    await session.close();
    lines.push("no-op poll (ref unchanged, artifact in storage):");
    lines.push(`  requestedAt → status handled, through the API: ${fmtMs(perPoll)} per poll; ${procs} git process(es) per poll; ${server.stats.fetches - fetches0} pack fetches in ${runs} polls`);
    lines.push(`  of which the ref check (git ls-remote over smart HTTP): ${fmtMs(lsRemote)}`);

    // 3. 100 GitRepositories against one server.
    const n = 100;
    const repo = await fixtures.repo("fleet");
    await repo.commit({ "deploy/app.yaml": "kind: ConfigMap\n", "deploy/more.yaml": "x: 1\n" });
    const names = Array.from({ length: n }, (_, i) => `fleet-${i}`);
    const f0 = performance.now();
    await Promise.all(names.map((name) => create(name, server.url("fleet"))));
    await waitAll(names, ready);
    const fetchSecs = (performance.now() - f0) / 1000;
    const p0 = performance.now();
    await Promise.all(names.map((name) => request(name, "fleet-poll")));
    await waitAll(names, (r) => r.status?.lastHandledReconcileAt === "fleet-poll");
    const pollSecs = (performance.now() - p0) / 1000;
    lines.push(`${n} GitRepositories, one git server, --concurrent=10:`);
    lines.push(`  first fetch (clone + package + status): all Ready in ${fetchSecs.toFixed(2)} s = ${(n / fetchSecs).toFixed(1)} fetches/s`);
    lines.push(`  no-op poll of all ${n} at once: ${pollSecs.toFixed(2)} s = ${(n / pollSecs).toFixed(1)} polls/s`);
  } finally {
    await manager.api.delete(nsRef, undefined, ns).catch(() => undefined);
    const list = await manager.api.list<GitRepository>(repoRef, ns).catch(() => ({ items: [] as GitRepository[] }));
    await manager.stop();
    for (const r of list.items) await manager.api.mergePatch(repoRef, ns, r.metadata.name!, { metadata: { finalizers: null } }).catch(() => undefined);
    await rm(storage, { recursive: true, force: true });
  }
  return lines;
}

