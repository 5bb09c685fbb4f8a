import { Command } from "commander";
import { controllersCommand } from "./controllers_command.ts";
import { devCommand } from "./dev_command.ts";

const program = new Command("sluice")
  .description("GitOps for Kubernetes, serving the Flux v2 APIs")
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(text) });

program.addCommand(controllersCommand());
program.addCommand(devCommand());

try {
  await program.parseAsync(process.argv);
} catch (err) {
  console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
