import { Command, InvalidArgumentError, Option } from "commander";
import type { KubeObject } from "../api/meta.ts";
import { CliError } from "./cli_error.ts";
import { type CreateFlags, objectMeta, parseListFlag, withCreateFlags } from "./create_flags.ts";
import { createObject } from "./create_object.ts";
import { parseObjectName } from "./object_name.ts";

interface GitFlags extends CreateFlags {
  url: string;
  branch?: string;
  tag?: string;
  tagSemver?: string;
  commit?: string;
  refName?: string;
  secretRef?: string;
  proxySecretRef?: string;
  provider?: string;
  recurseSubmodules?: boolean;
  ignorePaths?: string[];
  sparseCheckoutPaths?: string[];
}

const examples = `
Examples:
  sluice create source git podinfo --url https://github.com/stefanprodan/podinfo --branch master
  sluice create source git podinfo --url https://github.com/stefanprodan/podinfo --tag-semver ">=6.0.0"
  sluice create source git private --url ssh://git@github.com/org/repo --branch main --secret-ref repo-ssh
  sluice create source git podinfo --url https://github.com/stefanprodan/podinfo --branch master --export > podinfo.yaml
`;

/** A Git address: http://, https:// or ssh:// (scp-like git@host:path is refused with the ssh:// spelling). */
export function parseGitUrl(value: string): string {
  if (!/^(http|https|ssh):\/\/\S+$/.test(value)) {
    throw new InvalidArgumentError(`want an http://, https:// or ssh:// address, got ${JSON.stringify(value)} (for git@host:org/repo write ssh://git@host/org/repo)`);
  }
  return value;
}

export function createSourceGitCommand(): Command {
  const cmd = new Command("git")
    .description("create or update a GitRepository source")
    .argument("<name>", "name of the GitRepository", parseObjectName)
    .addOption(new Option("--url <url>", "repository address: http(s):// or ssh://").argParser(parseGitUrl).makeOptionMandatory())
    .option("--branch <branch>", "branch to follow")
    .option("--tag <tag>", "tag to check out")
    .option("--tag-semver <range>", "semver range; the highest matching tag is checked out")
    .option("--commit <sha>", "commit to check out (with --branch: the commit on that branch)")
    .option("--ref-name <ref>", "full reference, e.g. refs/heads/main or refs/pull/1/head")
    .option("--secret-ref <name>", "Secret with the credentials (username/password, token or SSH key)")
    .option("--proxy-secret-ref <name>", "Secret with the proxy address and credentials")
    .addOption(new Option("--provider <provider>", "who issues the credentials").choices(["generic", "github", "azure", "aws"]))
    .option("--recurse-submodules", "check out submodules too")
    .addOption(new Option("--ignore-paths <paths>", "paths left out of the artifact, .gitignore style (comma-separated)").argParser(parseListFlag))
    .addOption(new Option("--sparse-checkout-paths <paths>", "only check out these directories (comma-separated)").argParser(parseListFlag));
  withCreateFlags(cmd);
  return cmd.addHelpText("after", examples).action((name: string, flags: GitFlags) => createObject(gitRepositoryObject(name, flags), flags, { readyMessage: fetchedRevision }));
}

export function gitRepositoryObject(name: string, flags: GitFlags): KubeObject {
  const ref: Record<string, string> = {};
  if (flags.branch) ref.branch = flags.branch;
  if (flags.tag) ref.tag = flags.tag;
  if (flags.tagSemver) ref.semver = flags.tagSemver;
  if (flags.commit) ref.commit = flags.commit;
  if (flags.refName) ref.name = flags.refName;
  if (!Object.keys(ref).length) throw new CliError("a Git ref is required: use --branch, --tag, --tag-semver, --commit or --ref-name");
  if (flags.commit && !/^[0-9a-f]{7,64}$/.test(flags.commit)) throw new CliError(`--commit wants a hex commit hash, got ${JSON.stringify(flags.commit)}`);
  const spec: Record<string, unknown> = { interval: flags.interval, url: flags.url, ref };
  if (flags.secretRef) spec.secretRef = { name: flags.secretRef };
  if (flags.proxySecretRef) spec.proxySecretRef = { name: flags.proxySecretRef };
  if (flags.provider) spec.provider = flags.provider;
  if (flags.recurseSubmodules) spec.recurseSubmodules = true;
  if (flags.ignorePaths?.length) spec.ignore = `${flags.ignorePaths.join("\n")}\n`;
  if (flags.sparseCheckoutPaths?.length) spec.sparseCheckout = flags.sparseCheckoutPaths;
  return {
    apiVersion: "source.toolkit.fluxcd.io/v1",
    kind: "GitRepository",
    metadata: objectMeta(name, flags),
    spec,
  };
}

/** "fetched revision …", what every source says once Ready. */
export function fetchedRevision(ready: KubeObject): string | undefined {
  const revision = (ready.status as { artifact?: { revision?: string } } | undefined)?.artifact?.revision;
  return revision ? `fetched revision ${revision}` : undefined;
}
