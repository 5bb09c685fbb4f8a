import { Command, InvalidArgumentError, Option } from "commander";
import type { KubeObject } from "../api/meta.ts";
import { registryProviders } from "../api/source/common.ts";
import { CliError } from "./cli_error.ts";
import { type CreateFlags, objectMeta, withCreateFlags } from "./create_flags.ts";
import { createObject, waitHelp } from "./create_object.ts";
import { fetchedRevision } from "./create_source_git_command.ts";
import { parseObjectName } from "./object_name.ts";

interface HelmRepositoryFlags extends CreateFlags {
  url: string;
  secretRef?: string;
  passCredentials?: boolean;
  ociProvider?: string;
}

const examples = `
Examples:
  sluice create source helm podinfo --url https://stefanprodan.github.io/podinfo --interval 10m
  sluice create source helm private --url https://charts.example.com --secret-ref charts-auth   # sluice create secret helm charts-auth …
  sluice create source helm podinfo --url oci://ghcr.io/stefanprodan/charts --oci-provider aws   # an OCI registry: type oci
  sluice create source helm podinfo --url https://stefanprodan.github.io/podinfo --export > podinfo.yaml

${waitHelp("HelmRepository")} An oci:// repository is never waited
for: it has nothing to fetch until a HelmChart uses it.
`;

/** A chart repository address: http(s):// for an index, oci:// for a registry. */
export function parseHelmRepositoryUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`want an http://, https:// or oci:// address, got ${JSON.stringify(value)}`);
  }
  if (!["http:", "https:", "oci:"].includes(url.protocol) || !url.hostname) {
    throw new InvalidArgumentError(`want an http://, https:// or oci:// address, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function createSourceHelmCommand(): Command {
  const cmd = new Command("helm")
    .description("create or update a HelmRepository source (oci:// URLs make a repository of type oci)")
    .argument("<name>", "name of the HelmRepository", parseObjectName)
    .addOption(new Option("--url <url>", "chart repository address: http(s):// for an index.yaml, oci:// for a registry").argParser(parseHelmRepositoryUrl).makeOptionMandatory())
    .option("--secret-ref <name>", "Secret with username and password (or a docker config for oci://), e.g. from `sluice create secret helm`")
    .option("--pass-credentials", "also send the credentials when charts are served from another host (http(s) only)")
    .addOption(new Option("--oci-provider <provider>", "who issues registry credentials (oci:// only)").choices(registryProviders));
  withCreateFlags(cmd);
  return cmd.addHelpText("after", examples).action((name: string, flags: HelmRepositoryFlags) => {
    const obj = helmRepositoryObject(name, flags);
    const oci = (obj.spec as { type?: string }).type === "oci";
    return createObject(obj, flags, {
      readyMessage: fetchedRevision,
      nothingToWaitFor: oci ? "HelmRepository of type oci needs no fetch: ready when a chart is pulled" : undefined,
    });
  });
}

export function helmRepositoryObject(name: string, flags: HelmRepositoryFlags): KubeObject {
  const oci = flags.url.startsWith("oci://");
  if (flags.ociProvider && !oci) throw new CliError(`--oci-provider is for OCI registries: use an oci:// --url, got ${JSON.stringify(flags.url)}`);
  if (flags.passCredentials && oci) throw new CliError("--pass-credentials is for http(s) repositories: an oci:// registry sends credentials only to itself");
  const spec: Record<string, unknown> = { interval: flags.interval, url: flags.url };
  if (oci) spec.type = "oci";
  if (flags.secretRef) spec.secretRef = { name: flags.secretRef };
  if (flags.passCredentials) spec.passCredentials = true;
  if (flags.ociProvider) spec.provider = flags.ociProvider;
  return { apiVersion: "source.toolkit.fluxcd.io/v1", kind: "HelmRepository", metadata: objectMeta(name, flags), spec };
}
