/**
 * How long the local control plane takes to come up from cached binaries: three runs in a throwaway
 * state dir (the first from scratch, the others on the kept etcd data), down between runs; prints the
 * median. Also prints each component's cold build time when known. Printed, not asserted.
 *
 *   node bench/dev_up.ts
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildTools, recordedBuildTimings } from "../src/dev/build_tools.ts";
import { startDevCluster, stopDevCluster } from "../src/dev/cluster.ts";

const runs = 3;
const fmt = (s: number) => `${s.toFixed(2)}s`;

const built = await buildTools((line) => console.error(line));
const buildTimings = Object.keys(built).length > 0 ? built : await recordedBuildTimings();

const stateDir = await mkdtemp(join(tmpdir(), "sluice-bench-"));
const starts: number[] = [];
const stops: number[] = [];
try {
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await startDevCluster({ stateDir, progress: () => {} });
    starts.push((performance.now() - t0) / 1000);
    const t1 = performance.now();
    await stopDevCluster({ stateDir });
    stops.push((performance.now() - t1) / 1000);
    console.error(`run ${i + 1}/${runs}: up ${fmt(starts[i])}, down ${fmt(stops[i])}${i === 0 ? " (fresh state dir)" : " (kept data)"}`);
  }
} finally {
  await stopDevCluster({ stateDir, removeStateDir: true });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`dev control plane, from cached binaries (median of ${runs}): up and Ready in ${fmt(median(starts))}, down in ${fmt(median(stops))}`);
console.log(`  runs: ${starts.map(fmt).join(", ")} (first from a fresh state dir)`);
if (Object.keys(buildTimings).length > 0) {
  const source = Object.keys(built).length > 0 ? "this run" : "recorded at build time";
  console.log(`cold build time per component (${source}):`);
  for (const [name, seconds] of Object.entries(buildTimings)) console.log(`  ${name.padEnd(12)} ${fmt(seconds)}`);
  const total = Object.values(buildTimings).reduce((a, b) => a + b, 0);
  console.log(`  ${"total".padEnd(12)} ${fmt(total)}`);
} else {
  console.log("cold build times: not recorded (the tools were built before build times were kept)");
}
