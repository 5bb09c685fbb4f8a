import type { KindDefinition } from "../kind.ts";
import { ageColumn } from "../kind.ts";
import { Interval, type KubeObject, LocalObjectReference, Timeout } from "../meta.ts";
import { type Static, StringEnum, Type, withRules } from "../schema.ts";
import { notificationCategories, notificationGroup } from "./group.ts";

export const providerTypes = [
  "slack",
  "discord",
  "msteams",
  "rocket",
  "generic",
  "generic-hmac",
  "github",
  "gitlab",
  "gitea",
  "giteapullrequestcomment",
  "bitbucketserver",
  "bitbucket",
  "azuredevops",
  "googlechat",
  "googlepubsub",
  "webex",
  "sentry",
  "azureeventhub",
  "telegram",
  "lark",
  "matrix",
  "opsgenie",
  "alertmanager",
  "grafana",
  "githubdispatch",
  "githubpullrequestcomment",
  "gitlabmergerequestcomment",
  "pagerduty",
  "datadog",
  "nats",
  "zulip",
  "otel",
] as const;

/** Provider types that set commit statuses, the only ones commitStatusExpr applies to. */
export const commitStatusProviderTypes = ["github", "gitlab", "gitea", "bitbucketserver", "bitbucket", "azuredevops"] as const;

export const ProviderSpec = withRules(
  Type.Object({
    address: Type.Optional(
      Type.String({ maxLength: 2048, description: "Where notifications go; its meaning depends on the type." }),
    ),
    certSecretRef: Type.Optional({
      ...LocalObjectReference,
      description: "Secret with ca.crt and/or tls.crt and tls.key for TLS to the provider.",
    }),
    channel: Type.Optional(
      Type.String({ maxLength: 2048, description: "Channel, room, topic or similar target within the provider." }),
    ),
    commitStatusExpr: Type.Optional(
      Type.String({ description: "CEL expression yielding the commit status ID; git providers only." }),
    ),
    interval: Type.Optional(Interval("Deprecated and unused.")),
    proxy: Type.Optional(
      Type.String({
        maxLength: 2048,
        pattern: "^(http|https)://.*$",
        description: "Deprecated: HTTP(S) proxy address; use proxySecretRef instead.",
      }),
    ),
    proxySecretRef: Type.Optional(LocalObjectReference),
    secretRef: Type.Optional({
      ...LocalObjectReference,
      description: "Secret with credentials and overrides: address, token, username, password, headers.",
    }),
    serviceAccountName: Type.Optional(Type.String({ description: "Service account for workload identity." })),
    suspend: Type.Optional(Type.Boolean({ description: "Stop sending notifications through this Provider." })),
    timeout: Type.Optional(Timeout("Time limit for sending one notification; 15s when unset.")),
    type: StringEnum(providerTypes, { description: "Which service notifications are sent to." }),
    username: Type.Optional(Type.String({ maxLength: 2048, description: "Name to post notifications as." })),
  }),
  [
    {
      rule: `${commitStatusProviderTypes.map((t) => `self.type == '${t}'`).join(" || ")} || !has(self.commitStatusExpr)`,
      message: "spec.commitStatusExpr is only supported for the git commit status provider types",
    },
  ],
);
export type ProviderSpec = Static<typeof ProviderSpec>;

export interface Provider extends KubeObject {
  spec: ProviderSpec;
}

export const providerKind: KindDefinition = {
  group: notificationGroup,
  version: "v1beta3",
  kind: "Provider",
  plural: "providers",
  singular: "provider",
  categories: notificationCategories,
  description: "A service that notifications are sent to, with its address and credentials.",
  spec: ProviderSpec,
  printerColumns: [ageColumn],
};
