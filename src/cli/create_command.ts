import { Command } from "commander";
import { createKustomizationCommand } from "./create_kustomization_command.ts";
import { createSourceGitCommand } from "./create_source_git_command.ts";

const examples = `
Examples:
  sluice create source git podinfo --url https://github.com/stefanprodan/podinfo --branch master
  sluice create kustomization podinfo --source podinfo --path ./kustomize --prune
`;

/** `sluice create source git …` and `sluice create kustomization …`. */
export function createCommand(): Command {
  const source = new Command("source")
    .description("create or update a source")
    .addCommand(createSourceGitCommand())
    .addHelpText("after", "\nExamples:\n  sluice create source git podinfo --url https://github.com/stefanprodan/podinfo --branch master\n");
  return new Command("create")
    .description("create or update Flux objects, then wait until they are ready (or print them with --export)")
    .addCommand(source)
    .addCommand(createKustomizationCommand())
    .addHelpText("after", examples);
}
