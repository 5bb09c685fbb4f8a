import { Command, Option } from "commander";
import { AlertSpec, alertKind } from "../api/notification/alert.ts";
import type { KubeObject } from "../api/meta.ts";
import { type ExportFlags, objectMeta, repeatable, withExportFlags } from "./create_flags.ts";
import { createObject } from "./create_object.ts";
import { type NotifiableRef, parseNotifiableRef } from "./notifiable_ref_flag.ts";
import { parseObjectName } from "./object_name.ts";

interface AlertFlags extends ExportFlags {
  providerRef: string;
  eventSeverity?: string;
  eventSource: NotifiableRef[];
}

/** The severities spec.eventSeverity allows, read from the API schema. */
const severities = (AlertSpec.properties.eventSeverity as unknown as { enum: string[] }).enum;

const examples = `
Examples:
  sluice create alert podinfo --provider-ref slack --event-source Kustomization/podinfo --event-source GitRepository/podinfo
  sluice create alert errors --provider-ref teams --event-severity error --event-source 'Kustomization/*' --event-source 'HelmRelease/*.apps'

An Alert has no status: it is applied and not waited for.
`;

export function createAlertCommand(): Command {
  const cmd = new Command("alert")
    .description("create or update an Alert: which events of which Flux objects go to a Provider")
    .argument("<name>", "name of the Alert", parseObjectName)
    .addOption(new Option("--provider-ref <name>", "the Provider (alert-provider) to send to").argParser(parseObjectName).makeOptionMandatory())
    .addOption(new Option("--event-severity <severity>", "lowest severity sent: info sends everything, error only errors").choices(severities))
    .addOption(
      new Option("--event-source <Kind/name[.namespace]>", "object whose events are sent, name * for all of a kind (repeatable, or comma-separated)")
        .argParser(repeatable(parseNotifiableRef))
        .makeOptionMandatory(),
    );
  withExportFlags(cmd);
  return cmd.addHelpText("after", examples).action((name: string, flags: AlertFlags) =>
    createObject(alertObject(name, flags), flags, { nothingToWaitFor: "Alert applied (it has no status to wait for)" }),
  );
}

export function alertObject(name: string, flags: AlertFlags): KubeObject {
  const spec: Record<string, unknown> = { providerRef: { name: flags.providerRef }, eventSources: flags.eventSource };
  if (flags.eventSeverity) spec.eventSeverity = flags.eventSeverity;
  return { apiVersion: `${alertKind.group}/${alertKind.version}`, kind: alertKind.kind, metadata: objectMeta(name, flags), spec };
}
