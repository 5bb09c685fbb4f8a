import { Command, InvalidArgumentError, Option } from "commander";
import type { KubeObject } from "../api/meta.ts";
import { CliError } from "./cli_error.ts";
import { type CreateFlags, objectMeta, parseListFlag, withCreateFlags } from "./create_flags.ts";
import { createObject, waitHelp } from "./create_object.ts";
import { fetchedRevision } from "./create_source_git_command.ts";
import { parseObjectName } from "./object_name.ts";

interface BucketFlags extends CreateFlags {
  bucketName: string;
  endpoint: string;
  provider: string;
  region?: string;
  insecure?: boolean;
  secretRef?: string;
  proxySecretRef?: string;
  ignorePaths?: string[];
}

const examples = `
Examples:
  sluice create source bucket podinfo --bucket-name podinfo --endpoint minio.minio.svc:9000 --insecure --secret-ref minio-creds
  sluice create source bucket app --provider aws --bucket-name app-manifests --endpoint s3.amazonaws.com --region eu-west-1
  sluice create source bucket app --provider gcp --bucket-name app-manifests --endpoint storage.googleapis.com
  sluice create source bucket app --provider azure --bucket-name manifests --endpoint https://account.blob.core.windows.net

${waitHelp("Bucket")}
`;

const host = /^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?(:\d{1,5})?$/;

/** S3, GCS and Azure container names: lower-case letters, digits, '.', '-' and '_', 3 to 222 characters. */
export function parseBucketName(value: string): string {
  if (!/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/.test(value)) {
    throw new InvalidArgumentError(`${JSON.stringify(value)} is not a bucket name: want 3-222 lower-case letters, digits, '.', '-' or '_'`);
  }
  return value;
}

/** host[:port]; Azure endpoints may be an https:// address. Checked against the provider in bucketObject. */
export function parseEndpoint(value: string): string {
  if (host.test(value)) return value;
  try {
    const url = new URL(value);
    if ((url.protocol === "https:" || url.protocol === "http:") && url.hostname) return value;
  } catch {
    // reported below
  }
  throw new InvalidArgumentError(`want host[:port], e.g. minio.example.com:9000, got ${JSON.stringify(value)}`);
}

export function createSourceBucketCommand(): Command {
  const cmd = new Command("bucket")
    .description("create or update a Bucket source (S3-compatible, GCS or Azure Blob storage)")
    .argument("<name>", "name of the Bucket", parseObjectName)
    .addOption(new Option("--bucket-name <name>", "name of the bucket or container").argParser(parseBucketName).makeOptionMandatory())
    .addOption(new Option("--endpoint <host[:port]>", "object storage address without a scheme (Azure: its https:// address)").argParser(parseEndpoint).makeOptionMandatory())
    .addOption(new Option("--provider <provider>", "storage client and who issues the credentials").choices(["generic", "aws", "gcp", "azure"]).default("generic"))
    .option("--region <region>", "region of the bucket (S3)")
    .option("--insecure", "talk to the endpoint over plain HTTP")
    .option("--secret-ref <name>", "Secret with the credentials, e.g. accesskey and secretkey")
    .option("--proxy-secret-ref <name>", "Secret with the proxy address and credentials")
    .addOption(new Option("--ignore-paths <paths>", "object keys left out of the artifact, .gitignore style (comma-separated)").argParser(parseListFlag));
  withCreateFlags(cmd);
  return cmd.addHelpText("after", examples).action((name: string, flags: BucketFlags) => createObject(bucketObject(name, flags), flags, { readyMessage: fetchedRevision }));
}

export function bucketObject(name: string, flags: BucketFlags): KubeObject {
  if (!host.test(flags.endpoint) && flags.provider !== "azure") {
    throw new CliError(`--endpoint wants host[:port] without a scheme for provider ${flags.provider}, got ${JSON.stringify(flags.endpoint)} (plain HTTP: add --insecure)`);
  }
  const spec: Record<string, unknown> = { interval: flags.interval, provider: flags.provider, bucketName: flags.bucketName, endpoint: flags.endpoint };
  if (flags.region) spec.region = flags.region;
  if (flags.insecure) spec.insecure = true;
  if (flags.secretRef) spec.secretRef = { name: flags.secretRef };
  if (flags.proxySecretRef) spec.proxySecretRef = { name: flags.proxySecretRef };
  if (flags.ignorePaths?.length) spec.ignore = `${flags.ignorePaths.join("\n")}\n`;
  return { apiVersion: "source.toolkit.fluxcd.io/v1", kind: "Bucket", metadata: objectMeta(name, flags), spec };
}
