import type { KubeObject } from "../api/meta.ts";
import { type ExportFlags, objectMeta } from "./create_flags.ts";
import { exportOrApply } from "./create_object.ts";
import { secretRef } from "./kube_refs.ts";

/**
 * Creates or updates an Opaque Secret holding `stringData`, or prints it with --export. The export
 * shows stringData (readable, ready for `sops --encrypt`); the cluster gets the same keys as base64
 * data, so that server-side apply owns each key and a key left out of a later run is removed.
 */
export async function createSecret(name: string, flags: ExportFlags, stringData: Record<string, string>): Promise<void> {
  const base = { apiVersion: "v1", kind: "Secret", metadata: objectMeta(name, flags), type: "Opaque" };
  const exported: KubeObject = { ...base, stringData };
  const applied: KubeObject = { ...base, data: Object.fromEntries(Object.entries(stringData).map(([k, v]) => [k, Buffer.from(v).toString("base64")])) };
  await exportOrApply(exported, applied, secretRef, flags);
}
