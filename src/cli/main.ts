import { Command } from "commander";
import { CliError } from "./cli_error.ts";
import { controllersCommand } from "./controllers_command.ts";
import { describeError } from "./describe_error.ts";
import { devCommand } from "./dev_command.ts";
import { getCommand } from "./get_command.ts";

const program = new Command("sluice")
  .description("GitOps for Kubernetes, serving the Flux v2 APIs")
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(text) });

program.addCommand(controllersCommand());
program.addCommand(devCommand());
program.addCommand(getCommand());

try {
  await program.parseAsync(process.argv);
} catch (err) {
  console.error(`✗ ${describeError(err)}`);
  process.exitCode = err instanceof CliError ? err.exitCode : 1;
}
