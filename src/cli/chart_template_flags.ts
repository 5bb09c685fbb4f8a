import { type Command, Option } from "commander";
import { chartTemplateSourceKinds } from "../api/helm/helm_chart_template.ts";
import { CliError } from "./cli_error.ts";
import { parseSemverRangeFlag } from "./create_source_oci_command.ts";
import { type SourceRefFlag, sourceRefParser } from "./source_ref_flag.ts";

/** What makes a HelmChart, as `create source chart` and `create helmrelease --source` take it. */
export interface ChartTemplateFlags {
  source?: SourceRefFlag;
  chart?: string;
  chartVersion?: string;
  reconcileStrategy?: string;
}

/** Adds --source, --chart, --chart-version and --reconcile-strategy. */
export function withChartTemplateFlags(cmd: Command): Command {
  return cmd
    .addOption(new Option("--source <Kind/name[.namespace]>", `where the chart comes from: ${chartTemplateSourceKinds.join(", ")} (with --chart)`).argParser(sourceRefParser(chartTemplateSourceKinds)))
    .option("--chart <name|path>", "chart name in a Helm repository, or chart path in a Git repository or bucket")
    .addOption(new Option("--chart-version <range>", "semver range of the chart version (Helm repositories)").argParser(parseSemverRangeFlag))
    .addOption(new Option("--reconcile-strategy <strategy>", "when a new chart artifact is made: new chart version or new source revision").choices(["ChartVersion", "Revision"]));
}

/** The HelmChart spec fields from the flags (without interval): chart, version, sourceRef, reconcileStrategy. */
export function chartTemplateSpec(flags: ChartTemplateFlags): Record<string, unknown> {
  if (!flags.source) throw new CliError("say where the chart comes from: --source Kind/name with --chart");
  if (!flags.chart) throw new CliError("--source needs --chart: the chart's name in the repository, or its path in Git or a bucket");
  if (flags.chartVersion && flags.source.kind !== "HelmRepository") {
    throw new CliError(`--chart-version is for HelmRepository sources: a chart from a ${flags.source.kind} has the version in its Chart.yaml`);
  }
  return {
    chart: flags.chart,
    ...(flags.chartVersion ? { version: flags.chartVersion } : {}),
    sourceRef: flags.source,
    ...(flags.reconcileStrategy ? { reconcileStrategy: flags.reconcileStrategy } : {}),
  };
}
