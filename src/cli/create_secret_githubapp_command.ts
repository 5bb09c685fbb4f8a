import { createPrivateKey } from "node:crypto";
import { Command, InvalidArgumentError, Option } from "commander";
import { gitHubAppKeys } from "../source/git/github_app.ts";
import { CliError } from "./cli_error.ts";
import { type ExportFlags, withExportFlags } from "./create_flags.ts";
import { parseObjectName } from "./object_name.ts";
import { createSecret } from "./secret_object.ts";
import { readPem } from "./tls_files.ts";

interface GitHubAppSecretFlags extends ExportFlags {
  appId: string;
  appInstallationId?: string;
  appInstallationOwner?: string;
  appPrivateKeyFile: string;
  appBaseUrl?: string;
}

const examples = `
Examples:
  sluice create secret githubapp fleet-app --app-id 123456 --app-installation-id 7890123 --app-private-key-file ./app.private-key.pem
  sluice create secret githubapp fleet-app --app-id 123456 --app-installation-owner my-org --app-private-key-file ./app.pem
  sluice create secret githubapp ghes-app --app-id 12 --app-installation-id 34 --app-private-key-file ./app.pem \\
    --app-base-url https://github.example.com/api/v3 --export > ghes-app.yaml

Use it as the --secret-ref of a GitRepository with provider github. The private key is the RSA PEM
file GitHub lets you download for the app.
`;

function parseNumericId(value: string): string {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`want a numeric ID, got ${JSON.stringify(value)}`);
  return value;
}

function parseApiUrl(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !["http:", "https:"].includes(url.protocol)) {
    throw new InvalidArgumentError(`want the GitHub API root as an http(s) URL, e.g. https://github.example.com/api/v3, got ${JSON.stringify(value)}`);
  }
  return value.replace(/\/+$/, "");
}

/** Reads the app's private key file: it must parse as an unencrypted PEM RSA private key, as GitHub issues them. */
export async function readGitHubAppKey(path: string): Promise<string> {
  const flag = "--app-private-key-file";
  const pem = await readPem(path, flag);
  let type: string | undefined;
  try {
    type = createPrivateKey(pem).asymmetricKeyType;
  } catch {
    throw new CliError(`${flag} ${path} is not a PEM RSA private key (encrypted keys are not supported): use the .pem GitHub made for the app`);
  }
  if (type !== "rsa") throw new CliError(`${flag} ${path} holds a key of type ${type}; GitHub App private keys are RSA`);
  return pem;
}

export function createSecretGitHubAppCommand(): Command {
  const cmd = new Command("githubapp")
    .description("create or update a Secret with GitHub App credentials, for a GitRepository with provider github")
    .argument("<name>", "name of the Secret", parseObjectName)
    .addOption(new Option("--app-id <id>", "the GitHub App's numeric ID").argParser(parseNumericId).makeOptionMandatory())
    .addOption(new Option("--app-installation-id <id>", "numeric ID of the app's installation (or --app-installation-owner)").argParser(parseNumericId))
    .option("--app-installation-owner <owner>", "the user or organisation the app is installed for (or --app-installation-id)")
    .addOption(new Option("--app-private-key-file <file>", "the app's RSA private key, PEM").makeOptionMandatory())
    .addOption(new Option("--app-base-url <url>", "GitHub API root for GitHub Enterprise Server (default: https://api.github.com)").argParser(parseApiUrl));
  withExportFlags(cmd);
  return cmd.addHelpText("after", examples).action(async (name: string, flags: GitHubAppSecretFlags) => {
    if (flags.appInstallationId && flags.appInstallationOwner) throw new CliError("give --app-installation-id or --app-installation-owner, not both");
    if (!flags.appInstallationId && !flags.appInstallationOwner?.trim()) throw new CliError("say which installation: --app-installation-id or --app-installation-owner");
    const k = gitHubAppKeys;
    await createSecret(name, flags, {
      [k.appId]: flags.appId,
      ...(flags.appInstallationId ? { [k.installationId]: flags.appInstallationId } : { [k.installationOwner]: flags.appInstallationOwner!.trim() }),
      [k.privateKey]: await readGitHubAppKey(flags.appPrivateKeyFile),
      ...(flags.appBaseUrl ? { [k.baseUrl]: flags.appBaseUrl } : {}),
    });
  });
}
