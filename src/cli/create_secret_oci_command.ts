import { Command, InvalidArgumentError, Option } from "commander";
import { type ExportFlags, withExportFlags } from "./create_flags.ts";
import { parseObjectName } from "./object_name.ts";
import { type BasicAuthFlags, createSecret, withBasicAuthFlags } from "./secret_object.ts";

interface OciSecretFlags extends ExportFlags, Required<BasicAuthFlags> {
  url: string;
}

const examples = `
Examples:
  sluice create secret oci ghcr-auth --url ghcr.io --username "$USER" --password "$GITHUB_TOKEN"
  sluice create secret oci registry-auth --url registry.example.com:5000 -u robot -p "$TOKEN" --export > registry-auth.yaml

The Secret is of type kubernetes.io/dockerconfigjson with one auths entry for the registry: what an
OCIRepository's or an OCI HelmRepository's --secret-ref reads.
`;

/** A registry host[:port], the key of a docker config's auths; no scheme, no path. */
export function parseRegistryHost(value: string): string {
  const want = `want a registry host[:port] such as ghcr.io, without scheme or path, got ${JSON.stringify(value)}`;
  if (value.includes("://") || value.includes("/") || value.includes("@")) throw new InvalidArgumentError(want);
  let url: URL;
  try {
    url = new URL(`https://${value}`);
  } catch {
    throw new InvalidArgumentError(want);
  }
  if (!url.hostname || url.host !== value.toLowerCase()) throw new InvalidArgumentError(want);
  return value.toLowerCase();
}

/** The .dockerconfigjson text: one auths entry, with username, password and auth (base64 user:password). */
export function dockerConfigJson(host: string, username: string, password: string): string {
  const auth = Buffer.from(`${username}:${password}`).toString("base64");
  return JSON.stringify({ auths: { [host]: { username, password, auth } } });
}

export function createSecretOciCommand(): Command {
  const cmd = new Command("oci")
    .description("create or update a kubernetes.io/dockerconfigjson Secret with OCI registry credentials")
    .argument("<name>", "name of the Secret", parseObjectName)
    .addOption(new Option("--url <host>", "the registry host[:port], e.g. ghcr.io").argParser(parseRegistryHost).makeOptionMandatory());
  withBasicAuthFlags(cmd, "registry", true);
  withExportFlags(cmd);
  return cmd.addHelpText("after", examples).action(async (name: string, flags: OciSecretFlags) => {
    await createSecret(name, flags, { ".dockerconfigjson": dockerConfigJson(flags.url, flags.username, flags.password) }, "kubernetes.io/dockerconfigjson");
  });
}
