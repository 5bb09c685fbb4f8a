import { Command } from "commander";
import type { KubeObject } from "../api/meta.ts";
import { type ChartTemplateFlags, chartTemplateSpec, withChartTemplateFlags } from "./chart_template_flags.ts";
import { CliError } from "./cli_error.ts";
import { type CreateFlags, objectMeta, withCreateFlags } from "./create_flags.ts";
import { createObject, waitHelp } from "./create_object.ts";
import { fetchedRevision } from "./create_source_git_command.ts";
import { parseObjectName } from "./object_name.ts";

interface HelmChartFlags extends CreateFlags, ChartTemplateFlags {}

const examples = `
Examples:
  sluice create source chart podinfo --source HelmRepository/podinfo --chart podinfo --chart-version ">=6.0.0"
  sluice create source chart app --source GitRepository/fleet --chart ./charts/app --reconcile-strategy Revision
  sluice create source chart podinfo --source HelmRepository/podinfo --chart podinfo --interval 10m --export > chart.yaml

The source must be in the HelmChart's namespace.
${waitHelp("HelmChart")}
`;

export function createSourceChartCommand(): Command {
  const cmd = new Command("chart")
    .description("create or update a HelmChart from a HelmRepository, GitRepository or Bucket")
    .argument("<name>", "name of the HelmChart", parseObjectName);
  withChartTemplateFlags(cmd);
  withCreateFlags(cmd);
  return cmd.addHelpText("after", examples).action((name: string, flags: HelmChartFlags) => createObject(helmChartObject(name, flags), flags, { readyMessage: fetchedRevision }));
}

export function helmChartObject(name: string, flags: HelmChartFlags): KubeObject {
  if (flags.source?.namespace && flags.source.namespace !== flags.namespace) {
    throw new CliError(`a HelmChart reads its source from its own namespace: drop .${flags.source.namespace} from --source, or create the chart there with -n ${flags.source.namespace}`);
  }
  const source = flags.source && { kind: flags.source.kind, name: flags.source.name };
  const spec = { interval: flags.interval, ...chartTemplateSpec({ ...flags, source }) };
  return { apiVersion: "source.toolkit.fluxcd.io/v1", kind: "HelmChart", metadata: objectMeta(name, flags), spec };
}
