import { Command } from "commander";
import { debugKustomizationCommand } from "./debug_kustomization_command.ts";

/** `sluice debug kustomization …`: what a Flux object resolved to, for troubleshooting. */
export function debugCommand(): Command {
  return new Command("debug")
    .description("show what a Flux object resolved to: its status or its final substitution variables")
    .addCommand(debugKustomizationCommand())
    .addHelpText("after", "\nExamples:\n  sluice debug kustomization podinfo --show-vars\n  sluice debug ks apps -n apps --show-status\n");
}
