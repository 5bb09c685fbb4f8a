import { Command, InvalidArgumentError, Option } from "commander";
import { validRange } from "semver";
import type { KubeObject } from "../api/meta.ts";
import { registryProviders } from "../api/source/common.ts";
import { CliError } from "./cli_error.ts";
import { type CreateFlags, objectMeta, parseListFlag, withCreateFlags } from "./create_flags.ts";
import { createObject, waitHelp } from "./create_object.ts";
import { fetchedRevision } from "./create_source_git_command.ts";
import { parseObjectName } from "./object_name.ts";

interface OciFlags extends CreateFlags {
  url: string;
  tag?: string;
  tagSemver?: string;
  digest?: string;
  secretRef?: string;
  serviceAccount?: string;
  certRef?: string;
  proxySecretRef?: string;
  provider?: string;
  insecure?: boolean;
  ignorePaths?: string[];
  verifyProvider?: string;
  verifySecretRef?: string;
  verifySubject?: string;
  verifyIssuer?: string;
}

const examples = `
Examples:
  sluice create source oci podinfo --url oci://ghcr.io/stefanprodan/manifests/podinfo --tag 6.6.0
  sluice create source oci podinfo --url oci://ghcr.io/stefanprodan/manifests/podinfo --tag-semver ">=6.0.0 <7.0.0"
  sluice create source oci app --url oci://123456789000.dkr.ecr.eu-west-1.amazonaws.com/app --digest sha256:<hex> --provider aws
  sluice create source oci app --url oci://ghcr.io/org/app --tag latest --verify-provider cosign \\
    --verify-subject "^https://github.com/org/app.*$" --verify-issuer "^https://token.actions.githubusercontent.com$"

${waitHelp("OCIRepository")}
`;

const digestLengths: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/** An OCI repository address: oci://registry/repository, without a tag or digest. */
export function parseOciUrl(value: string): string {
  const m = /^oci:\/\/([^/\s]+)\/(\S+)$/.exec(value);
  if (!m) throw new InvalidArgumentError(`want oci://<registry>/<repository>, got ${JSON.stringify(value)}`);
  if (/[@]/.test(m[2]) || /:[^/]*$/.test(m[2])) throw new InvalidArgumentError(`give the tag or digest with --tag or --digest, not in the address: ${JSON.stringify(value)}`);
  return value;
}

/** `sha256:<64 hex>` (or sha384, sha512). */
export function parseDigestFlag(value: string): string {
  const m = /^(sha256|sha384|sha512):([a-f0-9]+)$/.exec(value);
  if (!m || m[2].length !== digestLengths[m[1]]) throw new InvalidArgumentError(`want sha256:<64 hex digits>, got ${JSON.stringify(value)}`);
  return value;
}

/** A semver range, e.g. ">=1.0.0 <2.0.0" or "6.x". */
export function parseSemverRangeFlag(value: string): string {
  if (!validRange(value)) throw new InvalidArgumentError(`want a semver range such as ">=1.0.0" or "6.x", got ${JSON.stringify(value)}`);
  return value;
}

export function createSourceOciCommand(): Command {
  const cmd = new Command("oci")
    .description("create or update an OCIRepository source")
    .argument("<name>", "name of the OCIRepository", parseObjectName)
    .addOption(new Option("--url <url>", "repository address, oci://<registry>/<repository>").argParser(parseOciUrl).makeOptionMandatory())
    .option("--tag <tag>", "tag to pull")
    .addOption(new Option("--tag-semver <range>", "semver range; the highest matching tag is pulled").argParser(parseSemverRangeFlag))
    .addOption(new Option("--digest <digest>", "digest to pull, sha256:<hex>").argParser(parseDigestFlag))
    .option("--secret-ref <name>", "Secret of type kubernetes.io/dockerconfigjson with registry credentials")
    .option("--service-account <name>", "service account whose image pull secrets are used")
    .option("--cert-ref <name>", "Secret with ca.crt, tls.crt and tls.key for TLS to the registry")
    .option("--proxy-secret-ref <name>", "Secret with the proxy address and credentials")
    .addOption(new Option("--provider <provider>", "who issues registry credentials").choices(registryProviders))
    .option("--insecure", "allow a plain-HTTP registry")
    .addOption(new Option("--ignore-paths <paths>", "paths left out of the artifact, .gitignore style (comma-separated)").argParser(parseListFlag))
    .addOption(new Option("--verify-provider <provider>", "check the artifact's signature").choices(["cosign", "notation"]))
    .option("--verify-secret-ref <name>", "Secret with the public keys (cosign) or trust policy (notation)")
    .option("--verify-subject <regexp>", "keyless cosign: identity subject the certificate must match")
    .option("--verify-issuer <regexp>", "keyless cosign: OIDC issuer the certificate must match");
  withCreateFlags(cmd);
  return cmd.addHelpText("after", examples).action((name: string, flags: OciFlags) => createObject(ociRepositoryObject(name, flags), flags, { readyMessage: fetchedRevision }));
}

export function ociRepositoryObject(name: string, flags: OciFlags): KubeObject {
  const refs = [flags.tag && "--tag", flags.tagSemver && "--tag-semver", flags.digest && "--digest"].filter(Boolean);
  if (refs.length === 0) throw new CliError("say what to pull: --tag, --tag-semver or --digest");
  if (refs.length > 1) throw new CliError(`${refs.join(" and ")} both pick the artifact: give only one`);
  const verifyOnly = [flags.verifySecretRef && "--verify-secret-ref", flags.verifySubject && "--verify-subject", flags.verifyIssuer && "--verify-issuer"].filter(Boolean);
  if (verifyOnly.length && !flags.verifyProvider) throw new CliError(`${verifyOnly.join(", ")} need --verify-provider`);
  if (Boolean(flags.verifySubject) !== Boolean(flags.verifyIssuer)) throw new CliError("--verify-subject and --verify-issuer go together (keyless cosign)");
  for (const [flag, value] of [["--verify-subject", flags.verifySubject], ["--verify-issuer", flags.verifyIssuer]] as const) {
    if (!value) continue;
    try {
      new RegExp(value);
    } catch {
      throw new CliError(`${flag} wants a regular expression, got ${JSON.stringify(value)}`);
    }
  }
  if (flags.secretRef && flags.serviceAccount) throw new CliError("--secret-ref and --service-account both give credentials: give only one");

  const ref: Record<string, string> = {};
  if (flags.tag) ref.tag = flags.tag;
  if (flags.tagSemver) ref.semver = flags.tagSemver;
  if (flags.digest) ref.digest = flags.digest;
  const spec: Record<string, unknown> = { interval: flags.interval, url: flags.url, ref };
  if (flags.secretRef) spec.secretRef = { name: flags.secretRef };
  if (flags.serviceAccount) spec.serviceAccountName = flags.serviceAccount;
  if (flags.certRef) spec.certSecretRef = { name: flags.certRef };
  if (flags.proxySecretRef) spec.proxySecretRef = { name: flags.proxySecretRef };
  if (flags.provider) spec.provider = flags.provider;
  if (flags.insecure) spec.insecure = true;
  if (flags.ignorePaths?.length) spec.ignore = `${flags.ignorePaths.join("\n")}\n`;
  if (flags.verifyProvider) {
    spec.verify = {
      provider: flags.verifyProvider,
      ...(flags.verifySecretRef ? { secretRef: { name: flags.verifySecretRef } } : {}),
      ...(flags.verifySubject ? { matchOIDCIdentity: [{ subject: flags.verifySubject, issuer: flags.verifyIssuer }] } : {}),
    };
  }
  return { apiVersion: "source.toolkit.fluxcd.io/v1", kind: "OCIRepository", metadata: objectMeta(name, flags), spec };
}
