import { Command, InvalidArgumentError, Option } from "commander";
import type { KubeObject } from "../api/meta.ts";
import { parseNamespaceFlag } from "./cluster_flags.ts";
import { type CreateFlags, objectMeta, parseIntervalFlag, repeatable, withCreateFlags } from "./create_flags.ts";
import { createObject } from "./create_object.ts";
import { parseObjectName } from "./object_name.ts";
import { parseDependency, parseHealthCheck, parseSourceFlag, type SourceRefFlag } from "./source_ref_flag.ts";

interface KustomizationFlags extends CreateFlags {
  source: SourceRefFlag;
  path: string;
  prune?: boolean;
  wait?: boolean;
  targetNamespace?: string;
  dependsOn?: Array<ReturnType<typeof parseDependency>>;
  serviceAccount?: string;
  healthCheck?: Array<ReturnType<typeof parseHealthCheck>>;
  healthCheckTimeout?: string;
  retryInterval?: string;
  decryptionProvider?: string;
  decryptionSecret?: string;
}

const examples = `
Examples:
  sluice create kustomization podinfo --source podinfo --path ./kustomize --prune --interval 10m
  sluice create ks apps --source GitRepository/fleet.flux-system --path ./apps --depends-on infra --wait
  sluice create ks podinfo --source OCIRepository/podinfo --target-namespace web --service-account deployer --export
`;

function parsePath(value: string): string {
  if (!value.startsWith("./")) throw new InvalidArgumentError(`the path must begin with ./ (relative to the source root), got ${JSON.stringify(value)}`);
  if (value.split("/").includes("..")) throw new InvalidArgumentError(`the path may not leave the source with .., got ${JSON.stringify(value)}`);
  return value;
}

export function createKustomizationCommand(): Command {
  const cmd = new Command("kustomization")
    .alias("ks")
    .description("create or update a Kustomization that applies a path of a source")
    .argument("<name>", "name of the Kustomization", parseObjectName)
    .addOption(new Option("--source <[Kind/]name[.namespace]>", "the source: GitRepository (default), OCIRepository, Bucket or ExternalArtifact").argParser(parseSourceFlag).makeOptionMandatory())
    .addOption(new Option("--path <path>", "directory in the source to build, starting with ./").default("./").argParser(parsePath))
    .option("--prune", "delete objects that are removed from the source")
    .option("--wait", "wait for every applied object to be healthy")
    .addOption(new Option("--target-namespace <namespace>", "namespace set on every namespaced object").argParser(parseNamespaceFlag))
    .addOption(new Option("--depends-on <[namespace/]name>", "Kustomizations that must be ready first (repeatable, or comma-separated)").argParser(repeatable(parseDependency)))
    .option("--service-account <name>", "service account to apply as")
    .addOption(new Option("--health-check <Kind/name.namespace>", "workload to wait for: Deployment, DaemonSet, StatefulSet or HelmRelease (repeatable)").argParser(repeatable(parseHealthCheck)))
    .addOption(new Option("--health-check-timeout <duration>", "time limit for applying and health checks (spec.timeout)").argParser(parseIntervalFlag))
    .addOption(new Option("--retry-interval <duration>", "how soon a failure is retried").argParser(parseIntervalFlag))
    .addOption(new Option("--decryption-provider <provider>", "decrypt manifests before applying").choices(["sops"]))
    .option("--decryption-secret <name>", "Secret with the decryption keys");
  withCreateFlags(cmd);
  return cmd.addHelpText("after", examples).action((name: string, flags: KustomizationFlags) =>
    createObject(kustomizationObject(name, flags), flags, {
      readyMessage: (ready) => {
        const revision = (ready.status as { lastAppliedRevision?: string } | undefined)?.lastAppliedRevision;
        return revision ? `applied revision ${revision}` : undefined;
      },
    }),
  );
}

export function kustomizationObject(name: string, flags: KustomizationFlags): KubeObject {
  const spec: Record<string, unknown> = {
    interval: flags.interval,
    path: flags.path,
    prune: flags.prune ?? false,
    sourceRef: flags.source,
  };
  if (flags.wait) spec.wait = true;
  if (flags.targetNamespace) spec.targetNamespace = flags.targetNamespace;
  if (flags.dependsOn?.length) spec.dependsOn = flags.dependsOn;
  if (flags.serviceAccount) spec.serviceAccountName = flags.serviceAccount;
  if (flags.healthCheck?.length) spec.healthChecks = flags.healthCheck;
  if (flags.healthCheckTimeout) spec.timeout = flags.healthCheckTimeout;
  if (flags.retryInterval) spec.retryInterval = flags.retryInterval;
  if (flags.decryptionProvider) {
    spec.decryption = { provider: flags.decryptionProvider, ...(flags.decryptionSecret ? { secretRef: { name: flags.decryptionSecret } } : {}) };
  }
  return {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    metadata: objectMeta(name, flags),
    spec,
  };
}
