import { Command } from "commander";
import { envsubst, SubstitutionError } from "../kustomize/envsubst.ts";
import { CliError } from "./cli_error.ts";

const examples = `
Examples:
  sluice envsubst < app.yaml                      # \${VAR} from the environment, unset ones empty
  REGION=eu sluice envsubst --strict < app.yaml   # fail on an unset variable without a default
`;

/** `sluice envsubst`: stdin to stdout with the post-build substitution Kustomizations use, from the environment. */
export function envsubstCommand(): Command {
  return new Command("envsubst")
    .description("substitute ${VAR} forms in stdin from the environment, as Kustomization post-build does, and print the result")
    .option("--strict", "fail on a variable that is not set and has no default")
    .addHelpText("after", examples)
    .action(async (flags: { strict?: boolean }) => {
      const input = await readStdin();
      const vars = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
      let output: string;
      try {
        output = envsubst(input, vars, { strict: flags.strict ?? false });
      } catch (err) {
        if (err instanceof SubstitutionError) throw new CliError(err.message);
        throw err;
      }
      process.stdout.write(output);
    });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
