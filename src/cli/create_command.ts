import { Command } from "commander";
import { reconciledKinds } from "./controller_sets.ts";
import { createAlertCommand } from "./create_alert_command.ts";
import { createAlertProviderCommand } from "./create_alert_provider_command.ts";
import { createHelmReleaseCommand } from "./create_helmrelease_command.ts";
import { createKustomizationCommand } from "./create_kustomization_command.ts";
import { createReceiverCommand } from "./create_receiver_command.ts";
import { createSecretGitCommand } from "./create_secret_git_command.ts";
import { createSecretGitHubAppCommand } from "./create_secret_githubapp_command.ts";
import { createSecretHelmCommand } from "./create_secret_helm_command.ts";
import { createSecretOciCommand } from "./create_secret_oci_command.ts";
import { createSecretProxyCommand } from "./create_secret_proxy_command.ts";
import { createSecretTlsCommand } from "./create_secret_tls_command.ts";
import { createSourceBucketCommand } from "./create_source_bucket_command.ts";
import { createSourceChartCommand } from "./create_source_chart_command.ts";
import { createSourceGitCommand } from "./create_source_git_command.ts";
import { createSourceHelmCommand } from "./create_source_helm_command.ts";
import { createSourceOciCommand } from "./create_source_oci_command.ts";

const examples = `
Examples:
  sluice create source git podinfo --url https://github.com/stefanprodan/podinfo --branch master
  sluice create kustomization podinfo --source podinfo --path ./kustomize --prune
  sluice create source helm podinfo --url https://stefanprodan.github.io/podinfo
  sluice create helmrelease podinfo --source HelmRepository/podinfo --chart podinfo
  sluice create secret git podinfo-auth --url https://github.com/org/podinfo -u git -p "$TOKEN"
  sluice create alert podinfo --provider-ref slack --event-source Kustomization/podinfo

Every object verb takes --export (print YAML, apply nothing). Applied objects are waited for until
Ready when a Sluice controller reconciles their kind (${Object.values(reconciledKinds).flat().join(", ")}); other kinds are
applied without waiting unless --wait-ready is given, and --no-wait-ready never waits.
`;

/** `sluice create source …|kustomization|helmrelease|alert-provider|alert|receiver|secret …`. */
export function createCommand(): Command {
  const source = new Command("source")
    .description("create or update a source")
    .addCommand(createSourceGitCommand())
    .addCommand(createSourceHelmCommand())
    .addCommand(createSourceOciCommand())
    .addCommand(createSourceBucketCommand())
    .addCommand(createSourceChartCommand())
    .addHelpText(
      "after",
      "\nExamples:\n  sluice create source git podinfo --url https://github.com/stefanprodan/podinfo --branch master\n  sluice create source oci podinfo --url oci://ghcr.io/stefanprodan/manifests/podinfo --tag latest\n",
    );
  const secret = new Command("secret")
    .description("create or update a Secret in the format Flux sources read")
    .addCommand(createSecretGitCommand())
    .addCommand(createSecretHelmCommand())
    .addCommand(createSecretTlsCommand())
    .addCommand(createSecretGitHubAppCommand())
    .addCommand(createSecretOciCommand())
    .addCommand(createSecretProxyCommand())
    .addHelpText("after", "\nExamples:\n  sluice create secret git podinfo-auth --url https://github.com/org/podinfo -u git -p \"$TOKEN\"\n  sluice create secret tls certs --ca-crt-file ./ca.crt\n  sluice create secret oci ghcr-auth --url ghcr.io -u \"$USER\" -p \"$TOKEN\"\n");
  return new Command("create")
    .description("create or update Flux objects and Secrets, then wait until they are ready (or print them with --export)")
    .addCommand(source)
    .addCommand(createKustomizationCommand())
    .addCommand(createHelmReleaseCommand())
    .addCommand(createAlertProviderCommand())
    .addCommand(createAlertCommand())
    .addCommand(createReceiverCommand())
    .addCommand(secret)
    .addHelpText("after", examples);
}
