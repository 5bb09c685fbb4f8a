import { Command, Option } from "commander";
import type { KubeObject } from "../api/meta.ts";
import { receiverKind, receiverTypes } from "../api/notification/receiver.ts";
import { CliError } from "./cli_error.ts";
import { type CreateFlags, parseListFlag, objectMeta, repeatable, withCreateFlags } from "./create_flags.ts";
import { createObject, waitHelp } from "./create_object.ts";
import { type NotifiableRef, parseNotifiableRef } from "./notifiable_ref_flag.ts";
import { parseObjectName } from "./object_name.ts";

interface ReceiverFlags extends CreateFlags {
  type: (typeof receiverTypes)[number];
  secretRef: string;
  resource: NotifiableRef[];
  event?: string[];
}

const examples = `
Examples:
  sluice create receiver github --type github --event ping --event push --secret-ref webhook-token --resource GitRepository/podinfo
  sluice create receiver images --type harbor --secret-ref webhook-token --resource 'OCIRepository/*.apps' --export
`;

export function createReceiverCommand(): Command {
  const cmd = new Command("receiver")
    .description("create or update a Receiver: a webhook that makes Flux objects reconcile now")
    .argument("<name>", "name of the Receiver", parseObjectName)
    .addOption(new Option("--type <type>", "who sends the requests, which decides how they are checked").choices(receiverTypes).makeOptionMandatory())
    .addOption(new Option("--secret-ref <name>", "Secret whose token the webhook path and request checks derive from").argParser(parseObjectName).makeOptionMandatory())
    .addOption(
      new Option("--resource <Kind/name[.namespace]>", "object to reconcile on a valid request, name * for all of a kind (repeatable, or comma-separated)")
        .argParser(repeatable(parseNotifiableRef))
        .makeOptionMandatory(),
    )
    .addOption(new Option("--event <event>", "event type to act on, e.g. push (repeatable, or comma-separated; default all)").argParser(parseListFlag));
  withCreateFlags(cmd);
  return cmd.addHelpText("after", `${examples}\n${waitHelp(receiverKind.kind)}\n`).action((name: string, flags: ReceiverFlags) => {
    if (flags.type === "generic-oidc") throw new CliError("a generic-oidc Receiver takes OIDC providers, not a Secret: write its YAML (see --export of another type) and apply it");
    return createObject(receiverObject(name, flags), flags);
  });
}

export function receiverObject(name: string, flags: ReceiverFlags): KubeObject {
  const spec: Record<string, unknown> = { type: flags.type, interval: flags.interval, resources: flags.resource, secretRef: { name: flags.secretRef } };
  if (flags.event?.length) spec.events = flags.event;
  return { apiVersion: `${receiverKind.group}/${receiverKind.version}`, kind: receiverKind.kind, metadata: objectMeta(name, flags), spec };
}
