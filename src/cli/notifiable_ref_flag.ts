import { InvalidArgumentError } from "commander";
import { notifiableKinds } from "../api/notification/object_reference.ts";

const label = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";

/** A Flux object an Alert watches or a Receiver triggers, as CrossNamespaceObjectReference holds it. */
export interface NotifiableRef {
  kind: (typeof notifiableKinds)[number];
  name: string;
  namespace?: string;
}

/**
 * `Kind/name[.namespace]` with Kind one of the notifiable Flux kinds (any case) and name `*` for
 * every object of the kind, as flux's --event-source and --resource take it.
 */
export function parseNotifiableRef(value: string): NotifiableRef {
  const m = new RegExp(`^([A-Za-z]+)/(\\*|${label})(?:\\.(${label}))?$`).exec(value);
  if (!m) throw new InvalidArgumentError(`want Kind/name[.namespace], e.g. GitRepository/podinfo.flux-system or Kustomization/*, got ${JSON.stringify(value)}`);
  const kind = notifiableKinds.find((k) => k.toLowerCase() === m[1].toLowerCase());
  if (!kind) throw new InvalidArgumentError(`kind ${JSON.stringify(m[1])} is not one of ${notifiableKinds.join(", ")}`);
  return { kind, name: m[2], ...(m[4] ? { namespace: m[4] } : {}) };
}
