import { Command } from "commander";
import { CliError } from "./cli_error.ts";
import { controllersCommand } from "./controllers_command.ts";
import { demoCommand } from "./demo_command.ts";
import { deleteCommand } from "./delete_command.ts";
import { describeError } from "./describe_error.ts";
import { devCommand } from "./dev_command.ts";
import { eventsCommand } from "./events_command.ts";
import { exportCommand } from "./export_command.ts";
import { getCommand } from "./get_command.ts";
import { reconcileCommand } from "./reconcile_command.ts";
import { resumeCommand } from "./resume_command.ts";
import { suspendCommand } from "./suspend_command.ts";
import { treeCommand } from "./tree_command.ts";

const program = new Command("sluice")
  .description("GitOps for Kubernetes, serving the Flux v2 APIs")
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(text) });

program.addCommand(controllersCommand());
program.addCommand(demoCommand());
program.addCommand(devCommand());
program.addCommand(getCommand());
program.addCommand(reconcileCommand());
program.addCommand(suspendCommand());
program.addCommand(resumeCommand());
program.addCommand(deleteCommand());
program.addCommand(exportCommand());
program.addCommand(eventsCommand());
program.addCommand(treeCommand());

try {
  await program.parseAsync(process.argv);
} catch (err) {
  console.error(`✗ ${describeError(err)}`);
  process.exitCode = err instanceof CliError ? err.exitCode : 1;
}
