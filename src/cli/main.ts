import { Command } from "commander";
import { buildCommand } from "./build_command.ts";
import { checkCommand } from "./check_command.ts";
import { CliError } from "./cli_error.ts";
import { completeCommand, completionCommand } from "./completion_command.ts";
import { controllersCommand } from "./controllers_command.ts";
import { demoCommand } from "./demo_command.ts";
import { createCommand } from "./create_command.ts";
import { deleteCommand } from "./delete_command.ts";
import { describeError } from "./describe_error.ts";
import { debugCommand } from "./debug_command.ts";
import { diffCommand } from "./diff_command.ts";
import { envsubstCommand } from "./envsubst_command.ts";
import { normalizeBooleanFlags } from "./flag_parsers.ts";
import { devCommand } from "./dev_command.ts";
import { eventsCommand } from "./events_command.ts";
import { exportCommand } from "./export_command.ts";
import { getCommand } from "./get_command.ts";
import { installCommand } from "./install_command.ts";
import { logsCommand } from "./logs_command.ts";
import { reconcileCommand } from "./reconcile_command.ts";
import { resumeCommand } from "./resume_command.ts";
import { statsCommand } from "./stats_command.ts";
import { suspendCommand } from "./suspend_command.ts";
import { traceCommand } from "./trace_command.ts";
import { treeCommand } from "./tree_command.ts";
import { uninstallCommand } from "./uninstall_command.ts";
import { versionCommand } from "./version_command.ts";

// A closed pipe (`sluice get ks | head`) ends the output, not the process with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const program = new Command("sluice")
  .description("GitOps for Kubernetes, serving the Flux v2 APIs")
  .showHelpAfterError("(see `sluice --help` for the commands)")
  .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, "✗ ")) });

program.addCommand(controllersCommand());
program.addCommand(demoCommand());
program.addCommand(devCommand());
const verbs = [
  getCommand(),
  reconcileCommand(),
  suspendCommand(),
  resumeCommand(),
  createCommand(),
  deleteCommand(),
  exportCommand(),
  eventsCommand(),
  logsCommand(),
  treeCommand(),
  traceCommand(),
  statsCommand(),
  buildCommand(),
  diffCommand(),
  debugCommand(),
  envsubstCommand(),
  installCommand(),
  uninstallCommand(),
  checkCommand(),
  versionCommand(),
  completionCommand(),
];
for (const verb of verbs) program.addCommand(withErrorMarker(verb));
program.addCommand(completeCommand(), { hidden: true });

/** Commander's own errors (bad flags, unknown subcommands) in the same one-line ✗ form as ours. */
function withErrorMarker(cmd: Command): Command {
  cmd.configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, "✗ ")) });
  for (const sub of cmd.commands) withErrorMarker(sub);
  return cmd;
}

try {
  await program.parseAsync(normalizeBooleanFlags(process.argv));
} catch (err) {
  console.error(`✗ ${describeError(err)}`);
  process.exitCode = err instanceof CliError ? err.exitCode : 1;
}
