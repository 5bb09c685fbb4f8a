/**
 * The one test command (README, .ci/run): type-check, then every unit and end-to-end test with
 * node's test runner. The global setup builds the Go tools once (cached) and starts one local
 * control plane for the whole run. Arguments narrow the run to those test files.
 */
import { spawnSync } from "node:child_process";
import { globSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const node = process.execPath;

function step(name: string, cmd: string, args: string[]): void {
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`${name} failed`);
    process.exit(r.status ?? 1);
  }
  console.log(`${name}: ok (${((Date.now() - started) / 1000).toFixed(1)}s)`);
}

const selected = process.argv.slice(2);
if (selected.length === 0) step("typecheck", node, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", root]);

const files = selected.length
  ? selected
  : globSync(["src/**/*_test.ts", "test/**/*_test.ts"], { cwd: root }).sort();
const r = spawnSync(
  node,
  [
    "--disable-warning=ExperimentalWarning",
    "--test",
    "--test-global-setup=test/support/global_setup.ts",
    `--test-concurrency=${process.env.SLUICE_TEST_CONCURRENCY ?? 3}`,
    "--test-timeout=180000",
    ...files,
  ],
  { cwd: root, stdio: "inherit" },
);
process.exit(r.status ?? 1);
