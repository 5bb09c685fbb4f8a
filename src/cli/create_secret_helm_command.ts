import { Command } from "commander";
import { CliError } from "./cli_error.ts";
import { type ExportFlags, withExportFlags } from "./create_flags.ts";
import { parseObjectName } from "./object_name.ts";
import { type BasicAuthFlags, basicAuthData, createSecret, withBasicAuthFlags } from "./secret_object.ts";
import { readTlsFiles, type TlsFileFlags, withTlsFileFlags } from "./tls_files.ts";

interface HelmSecretFlags extends ExportFlags, TlsFileFlags, BasicAuthFlags {}

const examples = `
Examples:
  sluice create secret helm charts-auth --username "$USER" --password "$PASSWORD"
  sluice create secret helm charts-auth --username u --password p --ca-crt-file ./ca.crt
  sluice create secret helm charts-auth --username u --password p --export > charts-auth.yaml
`;

export function createSecretHelmCommand(): Command {
  const cmd = new Command("helm")
    .description("create or update a Secret with Helm repository credentials (username, password, TLS files)")
    .argument("<name>", "name of the Secret", parseObjectName);
  withBasicAuthFlags(cmd, "basic authentication");
  withTlsFileFlags(cmd);
  withExportFlags(cmd);
  return cmd.addHelpText("after", examples).action(async (name: string, flags: HelmSecretFlags) => {
    const basic = basicAuthData(flags);
    const tls = await readTlsFiles(flags);
    if (!flags.username && !Object.keys(tls).length) throw new CliError("give --username and --password, TLS files (--ca-crt-file, --tls-crt-file with --tls-key-file), or both");
    await createSecret(name, flags, { ...basic, ...tls });
  });
}
