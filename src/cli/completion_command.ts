import { Command } from "commander";
import { type Completion, complete } from "./completion_candidates.ts";
import { clusterLookup } from "./completion_cluster_lookup.ts";
import { completionScript, type Shell } from "./completion_scripts.ts";

const setup: Record<Shell, { summary: string; examples: (p: string) => string }> = {
  bash: {
    summary: "bash completion script (needs bash 4.1 or later)",
    examples: (p) => `
Examples:
  source <(${p} completion bash)                               # this shell only
  echo 'source <(${p} completion bash)' >> ~/.bashrc          # every new shell
  ${p} completion bash > /etc/bash_completion.d/${p}           # system-wide, with bash-completion installed
`,
  },
  zsh: {
    summary: "zsh completion script",
    examples: (p) => `
Examples:
  autoload -U compinit && compinit                               # once, if completion is not enabled yet
  source <(${p} completion zsh)                                 # this shell only
  ${p} completion zsh > "\${fpath[1]}/_${p}"                     # every new shell (a directory on $fpath)
`,
  },
  fish: {
    summary: "fish completion script",
    examples: (p) => `
Examples:
  ${p} completion fish | source                                 # this shell only
  ${p} completion fish > ~/.config/fish/completions/${p}.fish   # every new shell
`,
  },
  powershell: {
    summary: "PowerShell completion script",
    examples: (p) => `
Examples:
  ${p} completion powershell | Out-String | Invoke-Expression    # this session only
  ${p} completion powershell >> $PROFILE                         # every new session
`,
  },
};

/** `sluice completion <shell>`: prints a script that completes commands, flags and object names. */
export function completionCommand(program = "sluice"): Command {
  const cmd = new Command("completion").description("print a shell completion script: commands, flags and the cluster's object names").addHelpText(
    "after",
    `
Completion asks ${program} itself for candidates, so it follows the installed version; object names come
from the cluster the typed words name (-n, -A, --context, --kubeconfig), or nothing if it does not answer
within 2s.

Examples:
  source <(${program} completion bash)
  source <(${program} completion zsh)
  ${program} completion fish | source
  ${program} completion powershell | Out-String | Invoke-Expression
`,
  );
  for (const [shell, s] of Object.entries(setup) as Array<[Shell, (typeof setup)[Shell]]>) {
    cmd.addCommand(
      new Command(shell)
        .description(s.summary)
        .addHelpText("after", s.examples(program))
        .action((_flags, self: Command) => {
          process.stdout.write(completionScript(shell, rootOf(self).name()));
        }),
    );
  }
  return cmd;
}

/**
 * The hidden `sluice __complete <words…>` the scripts call: the words after the program name, the last
 * being the one under the cursor. Prints candidates and the directive line; never an error.
 */
export function completeCommand(): Command {
  return new Command("__complete")
    .description("print completion candidates for the words (used by the completion scripts)")
    .argument("[words...]")
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (_words: string[], _flags, self: Command) => {
      let result: Completion = { candidates: [] };
      try {
        result = await complete(rootOf(self), wordsAfter(self), clusterLookup());
      } catch {
        // Completion offers nothing rather than an error on the terminal.
      }
      await new Promise((resolve) => process.stdout.write(formatCompletion(result), resolve));
      // A request to a silent server may still hold the process open; its answer is no longer wanted.
      process.exit(0);
    });
}

/** The candidates as the scripts read them: `value[\tdescription]` lines, then `:<directive>`. */
export function formatCompletion(c: Completion): string {
  const lines = c.candidates.map((x) => (x.description ? `${x.value}\t${oneLine(x.description)}` : x.value));
  const directive = (c.noSpace ? 1 : 0) | (c.files ? 2 : 0);
  return [...lines, `:${directive}`].join("\n") + "\n";
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}

function rootOf(cmd: Command): Command {
  let c = cmd;
  while (c.parent) c = c.parent;
  return c;
}

/**
 * The words exactly as typed after `__complete`: commander would take `--` and flags meant for the
 * completed command out of its own arguments.
 */
function wordsAfter(self: Command): string[] {
  const argv = process.argv;
  const at = argv.indexOf(self.name());
  return at >= 0 ? argv.slice(at + 1) : self.args;
}
