import { Command, Option } from "commander";
import type { KubeObject } from "../api/meta.ts";
import { providerKind, providerTypes } from "../api/notification/provider.ts";
import { type ExportFlags, objectMeta, withExportFlags } from "./create_flags.ts";
import { createObject } from "./create_object.ts";
import { parseObjectName } from "./object_name.ts";

interface ProviderFlags extends ExportFlags {
  type: string;
  channel?: string;
  username?: string;
  address?: string;
  secretRef?: string;
}

const examples = `
Examples:
  sluice create alert-provider slack --type slack --channel general --secret-ref slack-url
  sluice create alert-provider github --type github --address https://github.com/org/repo --secret-ref github-token
  sluice create alert-provider hook --type generic --address https://hooks.example.com/flux --export

A Provider has no status: it is applied and not waited for.
`;

export function createAlertProviderCommand(): Command {
  const cmd = new Command("alert-provider")
    .description("create or update a Provider: a service (Slack, Teams, GitHub, a webhook…) that Alerts send events to")
    .argument("<name>", "name of the Provider", parseObjectName)
    .addOption(new Option("--type <type>", "the service notifications go to").choices(providerTypes).makeOptionMandatory())
    .option("--channel <channel>", "channel, room or topic to post to")
    .option("--username <username>", "name to post as")
    .option("--address <url>", "where notifications go (webhook URL, repository URL…); the Secret's address wins")
    .addOption(new Option("--secret-ref <name>", "Secret with credentials: address, token, username, password or headers").argParser(parseObjectName));
  withExportFlags(cmd);
  return cmd.addHelpText("after", examples).action((name: string, flags: ProviderFlags) =>
    createObject(providerObject(name, flags), flags, { nothingToWaitFor: "Provider applied (it has no status to wait for)" }),
  );
}

export function providerObject(name: string, flags: ProviderFlags): KubeObject {
  const spec: Record<string, unknown> = { type: flags.type };
  if (flags.channel) spec.channel = flags.channel;
  if (flags.username) spec.username = flags.username;
  if (flags.address) spec.address = flags.address;
  if (flags.secretRef) spec.secretRef = { name: flags.secretRef };
  return { apiVersion: `${providerKind.group}/${providerKind.version}`, kind: providerKind.kind, metadata: objectMeta(name, flags), spec };
}
