import { Command, InvalidArgumentError, Option } from "commander";
import { type ExportFlags, withExportFlags } from "./create_flags.ts";
import { parseObjectName } from "./object_name.ts";
import { type BasicAuthFlags, basicAuthData, createSecret, withBasicAuthFlags } from "./secret_object.ts";

interface ProxySecretFlags extends ExportFlags, BasicAuthFlags {
  address: string;
}

const examples = `
Examples:
  sluice create secret proxy corp-proxy --address http://proxy.example.com:3128
  sluice create secret proxy corp-proxy --address https://proxy.example.com:8443 --username u --password "$PROXY_PASSWORD"
  sluice create secret proxy corp-proxy --address http://10.0.0.1:3128 --export > corp-proxy.yaml

The Secret holds address (and username, password): what a source's --proxy-secret-ref
(spec.proxySecretRef) reads.
`;

/** A proxy address: http(s)://host[:port], credentials kept out of it (they go in their own keys). */
export function parseProxyAddress(value: string): string {
  const want = `want http://host:port or https://host:port, got ${JSON.stringify(value)}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(want);
  }
  if (!["http:", "https:"].includes(url.protocol) || !url.hostname) throw new InvalidArgumentError(want);
  if (url.username || url.password) throw new InvalidArgumentError(`give the proxy's credentials with --username and --password, not in the address ${JSON.stringify(value)}`);
  if (url.pathname !== "/" || url.search || url.hash) throw new InvalidArgumentError(`a proxy address has no path or query: ${want}`);
  return value.replace(/\/$/, "");
}

export function createSecretProxyCommand(): Command {
  const cmd = new Command("proxy")
    .description("create or update a Secret with an HTTP(S) proxy address and credentials, for a source's proxySecretRef")
    .argument("<name>", "name of the Secret", parseObjectName)
    .addOption(new Option("--address <url>", "the proxy, http(s)://host:port").argParser(parseProxyAddress).makeOptionMandatory());
  withBasicAuthFlags(cmd, "proxy");
  withExportFlags(cmd);
  return cmd.addHelpText("after", examples).action(async (name: string, flags: ProxySecretFlags) => {
    await createSecret(name, flags, { address: flags.address, ...basicAuthData(flags) });
  });
}
