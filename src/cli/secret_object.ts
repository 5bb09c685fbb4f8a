import { type Command, Option } from "commander";
import type { KubeObject } from "../api/meta.ts";
import { CliError } from "./cli_error.ts";
import { type ExportFlags, objectMeta } from "./create_flags.ts";
import { exportOrApply } from "./create_object.ts";
import { secretsRef } from "../runtime/kube/resource_ref.ts";

/**
 * Creates or updates a Secret (Opaque unless `type` says otherwise) holding `stringData`, or prints
 * it with --export. The export shows stringData (readable, ready for `sops --encrypt`); the cluster
 * gets the same keys as base64 data, so that server-side apply owns each key and a key left out of a
 * later run is removed.
 */
export async function createSecret(name: string, flags: ExportFlags, stringData: Record<string, string>, type = "Opaque"): Promise<void> {
  const base = { apiVersion: "v1", kind: "Secret", metadata: objectMeta(name, flags), type };
  const exported: KubeObject = { ...base, stringData };
  const applied: KubeObject = { ...base, data: Object.fromEntries(Object.entries(stringData).map(([k, v]) => [k, Buffer.from(v).toString("base64")])) };
  await exportOrApply(exported, applied, secretsRef, flags);
}

/** -u/--username and -p/--password, as flux names them. */
export interface BasicAuthFlags {
  username?: string;
  password?: string;
}

/** Adds -u/--username and -p/--password; `mandatory` makes both required. */
export function withBasicAuthFlags(cmd: Command, what: string, mandatory = false): Command {
  const username = new Option("-u, --username <username>", `${what} username`);
  const password = new Option("-p, --password <password>", `${what} password`);
  if (mandatory) {
    username.makeOptionMandatory();
    password.makeOptionMandatory();
  }
  return cmd.addOption(username).addOption(password);
}

/** The username and password keys: both flags or neither. */
export function basicAuthData(flags: BasicAuthFlags): Record<string, string> {
  if (Boolean(flags.username) !== Boolean(flags.password)) throw new CliError("--username and --password go together");
  return flags.username ? { username: flags.username, password: flags.password! } : {};
}
