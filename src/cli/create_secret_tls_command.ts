import { Command } from "commander";
import { CliError } from "./cli_error.ts";
import { type ExportFlags, withExportFlags } from "./create_flags.ts";
import { parseObjectName } from "./object_name.ts";
import { createSecret } from "./secret_object.ts";
import { readTlsFiles, type TlsFileFlags, withTlsFileFlags } from "./tls_files.ts";

const examples = `
Examples:
  sluice create secret tls registry-certs --tls-crt-file ./client.crt --tls-key-file ./client.key --ca-crt-file ./ca.crt
  sluice create secret tls private-ca --ca-crt-file ./ca.crt        # then --cert-ref private-ca on a source
  sluice create secret tls certs --tls-crt-file ./client.crt --tls-key-file ./client.key --export > certs.yaml
`;

export function createSecretTlsCommand(): Command {
  const cmd = new Command("tls")
    .description("create or update a Secret with TLS files (tls.crt, tls.key, ca.crt) for a source's certSecretRef")
    .argument("<name>", "name of the Secret", parseObjectName);
  withTlsFileFlags(cmd);
  withExportFlags(cmd);
  return cmd.addHelpText("after", examples).action(async (name: string, flags: ExportFlags & TlsFileFlags) => {
    const data = await readTlsFiles(flags);
    if (!Object.keys(data).length) throw new CliError("give --tls-crt-file with --tls-key-file, --ca-crt-file, or both");
    await createSecret(name, flags, data);
  });
}
