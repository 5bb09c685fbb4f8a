import { Command } from "commander";
import { buildTools } from "../dev/build_tools.ts";

/** `sluice dev …`: the local control plane for development and tests. */
export function devCommand(): Command {
  const dev = new Command("dev").description("run a local Kubernetes control plane on 127.0.0.1 (built from Go modules)");
  dev
    .command("build")
    .description("build and cache the control plane binaries, helm and kustomize (first run only)")
    .action(async () => {
      const started = Date.now();
      await buildTools((line) => console.error(line));
      console.error(`tools ready (${((Date.now() - started) / 1000).toFixed(1)}s)`);
    });
  return dev;
}
