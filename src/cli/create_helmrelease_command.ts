import { Command, InvalidArgumentError, Option } from "commander";
import { chartRefKinds } from "../api/helm/helm_chart_template.ts";
import type { KubeObject } from "../api/meta.ts";
import { type ChartTemplateFlags, chartTemplateSpec, withChartTemplateFlags } from "./chart_template_flags.ts";
import { CliError } from "./cli_error.ts";
import { parseNamespaceFlag } from "./cluster_flags.ts";
import { type CreateFlags, objectMeta, parseIntervalFlag, repeatable, withCreateFlags } from "./create_flags.ts";
import { createObject, waitHelp } from "./create_object.ts";
import { parseObjectName } from "./object_name.ts";
import { parseDependency, type SourceRefFlag, sourceRefParser } from "./source_ref_flag.ts";
import { readValuesFiles } from "./values_files.ts";

interface HelmReleaseFlags extends CreateFlags, ChartTemplateFlags {
  chartRef?: SourceRefFlag;
  chartInterval?: string;
  releaseName?: string;
  targetNamespace?: string;
  storageNamespace?: string;
  createTargetNamespace?: boolean;
  dependsOn?: Array<ReturnType<typeof parseDependency>>;
  serviceAccount?: string;
  values?: string[];
  valuesFrom?: Array<{ kind: string; name: string }>;
  kubeconfigSecretRef?: string;
  crds?: string;
}

const examples = `
Examples:
  sluice create helmrelease podinfo --source HelmRepository/podinfo --chart podinfo --chart-version ">=6.0.0"
  sluice create hr podinfo --source HelmRepository/podinfo.flux-system --chart podinfo -n apps \\
    --target-namespace web --create-target-namespace --values ./values.yaml --values ./prod.yaml
  sluice create hr podinfo --chart-ref OCIRepository/podinfo --depends-on infra/cert-manager
  sluice create hr app --source GitRepository/fleet --chart ./charts/app --values-from ConfigMap/app-values --export

${waitHelp("HelmRelease")}
`;

/** `--values-from Secret/name` or `ConfigMap/name`. */
export function parseValuesFrom(value: string): { kind: string; name: string } {
  const m = /^(secret|configmap)\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/i.exec(value);
  if (!m) throw new InvalidArgumentError(`want Secret/<name> or ConfigMap/<name>, got ${JSON.stringify(value)}`);
  return { kind: m[1].toLowerCase() === "secret" ? "Secret" : "ConfigMap", name: m[2] };
}

function parseReleaseName(value: string): string {
  if (value.length > 53 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value)) {
    throw new InvalidArgumentError(`want at most 53 lower-case letters, digits and '-', got ${JSON.stringify(value)}`);
  }
  return value;
}

export function createHelmReleaseCommand(): Command {
  const cmd = new Command("helmrelease")
    .alias("hr")
    .description("create or update a HelmRelease that installs a chart from a source")
    .argument("<name>", "name of the HelmRelease", parseObjectName);
  withChartTemplateFlags(cmd)
    .addOption(new Option("--chart-ref <Kind/name[.namespace]>", `an existing chart source instead of --source: ${chartRefKinds.join(", ")}`).argParser(sourceRefParser(chartRefKinds)))
    .addOption(new Option("--chart-interval <duration>", "how often the chart source is checked (default: --interval)").argParser(parseIntervalFlag))
    .addOption(new Option("--release-name <name>", "Helm release name (default: [target-namespace-]name)").argParser(parseReleaseName))
    .addOption(new Option("--target-namespace <namespace>", "namespace the release is installed into").argParser(parseNamespaceFlag))
    .addOption(new Option("--storage-namespace <namespace>", "namespace of Helm's release records (default: the HelmRelease's)").argParser(parseNamespaceFlag))
    .option("--create-target-namespace", "create the target namespace if it does not exist")
    .addOption(new Option("--depends-on <[namespace/]name>", "HelmReleases that must be ready first (repeatable, or comma-separated)").argParser(repeatable(parseDependency)))
    .option("--service-account <name>", "service account to impersonate for Helm actions")
    .addOption(new Option("--values <file>", "YAML values file; repeat to merge several, later files winning").argParser((v: string, prev: string[] = []) => [...prev, v]))
    .addOption(new Option("--values-from <Kind/name>", "values from a Secret or ConfigMap (repeatable)").argParser(repeatable(parseValuesFrom)))
    .option("--kubeconfig-secret-ref <name>", "Secret with a kubeconfig for installing into another cluster")
    .addOption(new Option("--crds <policy>", "what upgrades do with the chart's CRDs (installs create them)").choices(["Skip", "Create", "CreateReplace"]));
  withCreateFlags(cmd);
  return cmd.addHelpText("after", examples).action(async (name: string, flags: HelmReleaseFlags) => {
    const values = flags.values?.length ? await readValuesFiles(flags.values) : undefined;
    const obj = helmReleaseObject(name, flags, values);
    await createObject(obj, flags, {
      readyMessage: (ready) => {
        const version = (ready.status as { history?: Array<{ chartVersion?: string }> } | undefined)?.history?.[0]?.chartVersion;
        return version ? `applied chart version ${version}` : undefined;
      },
    });
  });
}

export function helmReleaseObject(name: string, flags: HelmReleaseFlags, values?: Record<string, unknown>): KubeObject {
  if (flags.chartRef && (flags.source || flags.chart)) throw new CliError("give --chart-ref, or --source with --chart, not both");
  if (!flags.chartRef && !flags.source) throw new CliError("say where the chart comes from: --source Kind/name with --chart, or --chart-ref Kind/name");
  if (flags.chartRef) {
    const templateOnly = [flags.chartVersion && "--chart-version", flags.chartInterval && "--chart-interval", flags.reconcileStrategy && "--reconcile-strategy"].filter(Boolean);
    if (templateOnly.length) throw new CliError(`${templateOnly.join(", ")} ${templateOnly.length > 1 ? "are" : "is"} for the chart --source makes; with --chart-ref set ${templateOnly.length > 1 ? "them" : "it"} on the chart source`);
  }
  if (flags.createTargetNamespace && !flags.targetNamespace) throw new CliError("--create-target-namespace needs --target-namespace");

  const spec: Record<string, unknown> = { interval: flags.interval };
  if (flags.chartRef) spec.chartRef = flags.chartRef;
  else {
    spec.chart = { spec: { ...chartTemplateSpec(flags), ...(flags.chartInterval ? { interval: flags.chartInterval } : {}) } };
  }
  if (flags.releaseName) spec.releaseName = flags.releaseName;
  if (flags.targetNamespace) spec.targetNamespace = flags.targetNamespace;
  if (flags.storageNamespace) spec.storageNamespace = flags.storageNamespace;
  if (flags.dependsOn?.length) spec.dependsOn = flags.dependsOn;
  if (flags.serviceAccount) spec.serviceAccountName = flags.serviceAccount;
  if (flags.kubeconfigSecretRef) spec.kubeConfig = { secretRef: { name: flags.kubeconfigSecretRef } };
  // As flux: --crds sets the upgrade policy; installs always create the chart's CRDs then.
  const install: Record<string, unknown> = {};
  if (flags.createTargetNamespace) install.createNamespace = true;
  if (flags.crds) install.crds = "Create";
  if (Object.keys(install).length) spec.install = install;
  if (flags.crds) spec.upgrade = { crds: flags.crds };
  if (values && Object.keys(values).length) spec.values = values;
  if (flags.valuesFrom?.length) spec.valuesFrom = flags.valuesFrom;
  return { apiVersion: "helm.toolkit.fluxcd.io/v2", kind: "HelmRelease", metadata: objectMeta(name, flags), spec };
}
