import { Command } from "commander";
import { BuildError, buildTools } from "../dev/build_tools.ts";
import { devClusterStatus, resetDevCluster, startDevCluster, stopDevCluster } from "../dev/cluster.ts";
import { DevError } from "../dev/dev_error.ts";
import { devKubeconfigPath, devStateDir } from "../dev/paths.ts";
import { CliError } from "./cli_error.ts";

const progress = (line: string) => process.stderr.write(`${line}\n`);

/** Dev failures carry several lines (a log's or go's last lines): keep them all. */
function keepDetail<A extends unknown[]>(action: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await action(...args);
    } catch (err) {
      if (err instanceof DevError || err instanceof BuildError) throw new CliError(err.message);
      throw err;
    }
  };
}

/** `sluice dev …`: the local control plane for development and tests. */
export function devCommand(): Command {
  const dev = new Command("dev").description("run a local Kubernetes control plane on 127.0.0.1 (built from Go modules)");
  dev
    .command("build")
    .description("build and cache the control plane binaries, helm and kustomize (first run only)")
    .action(keepDetail(async () => {
      const started = Date.now();
      await buildTools(progress);
      progress(`tools ready (${((Date.now() - started) / 1000).toFixed(1)}s)`);
    }));
  dev
    .command("up")
    .description(`start etcd, kube-apiserver, controller-manager, scheduler and kwok (3 fake nodes); state in ${devStateDir()} ($SLUICE_DEV_DIR)`)
    .action(keepDetail(async () => {
      const cluster = await startDevCluster({ progress });
      progress(`kubeconfig: ${cluster.kubeconfig}`);
      progress(`use it with: eval "$(sluice dev env)"`);
      process.stdout.write(`${cluster.kubeconfig}\n`);
    }));
  dev
    .command("down")
    .description("stop the dev cluster (its data is kept)")
    .action(keepDetail(async () => {
      const status = await devClusterStatus();
      if (!status.components.some((c) => c.alive)) progress("dev cluster is not running");
      await stopDevCluster({ progress });
    }));
  dev
    .command("status")
    .description("show what runs where; exits 1 when the dev cluster is not up")
    .action(keepDetail(async () => {
      const status = await devClusterStatus();
      if (status.components.length === 0) {
        process.stdout.write(`dev cluster is not running (state dir ${status.stateDir})\n`);
        process.exitCode = 1;
        return;
      }
      const rows = [["COMPONENT", "PID", "PORT", "ALIVE"], ...status.components.map((c) => [c.name, String(c.pid), String(c.port), c.alive ? "yes" : "no"])];
      const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
      for (const r of rows) process.stdout.write(`${r.map((v, i) => v.padEnd(widths[i])).join("  ").trimEnd()}\n`);
      process.stdout.write(`\nserver:     ${status.server ?? "-"}\nreadyz:     ${status.readyz ? "ok" : "not ok"}\nkubeconfig: ${status.kubeconfig}\n`);
      if (!status.up) {
        process.stdout.write("dev cluster is not up: run `sluice dev up`\n");
        process.exitCode = 1;
      }
    }));
  dev
    .command("reset")
    .description("stop the dev cluster and delete its data, certificates and logs")
    .action(keepDetail(async () => {
      await resetDevCluster({ progress });
      progress(`removed ${devStateDir()}`);
    }));
  dev
    .command("env")
    .description("print shell exports for the dev cluster: eval \"$(sluice dev env)\"")
    .action(keepDetail(() => {
      process.stdout.write(`export KUBECONFIG=${devKubeconfigQuoted()}\n`);
    }));
  return dev;
}

function devKubeconfigQuoted(): string {
  const path = devKubeconfigPath();
  return /^[\w./~-]+$/.test(path) ? path : `'${path.replace(/'/g, "'\\''")}'`;
}
