import type { Kustomization } from "../api/kustomize/kustomization.ts";
import type { KubeObject } from "../api/meta.ts";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import { ReconcileError, type ReconcileContext } from "../runtime/controller/reconciler.ts";
import { isNotFound } from "../runtime/kube/api_error.ts";
import { decryptSops, isSopsEncrypted, SopsError } from "./decrypt_sops.ts";
import { ksReasons } from "./reasons.ts";

const secrets = { group: "", version: "v1", resource: "secrets", kind: "Secret", namespaced: true };

/**
 * spec.decryption: decrypts every built object that carries SOPS metadata with the age keys
 * (`*.agekey` entries) of decryption.secretRef, unless the object is annotated
 * kustomize.toolkit.fluxcd.io/decrypt: disabled. Objects are replaced in place.
 */
export async function decrypt(ks: Kustomization, objects: KubeObject[], ctx: ReconcileContext): Promise<void> {
  const dec = ks.spec.decryption;
  if (!dec) return;
  const targets = objects.map((o, i) => [o, i] as const).filter(([o]) => isSopsEncrypted(o) && o.metadata.annotations?.["kustomize.toolkit.fluxcd.io/decrypt"]?.toLowerCase() !== "disabled");
  if (targets.length === 0) return;
  const identities = dec.secretRef ? await ageIdentities(ks, dec.secretRef.name, ctx) : [];
  for (const [obj, i] of targets) {
    try {
      objects[i] = (await decryptSops(obj as unknown as Record<string, unknown>, identities)) as unknown as KubeObject;
    } catch (err) {
      const why = err instanceof SopsError ? err.message : (err as Error).message;
      throw new ReconcileError(ksReasons.buildFailed, `decryption failed for '${obj.kind}/${obj.metadata.name}': ${why}`);
    }
  }
}

/** The age identities of the Kustomization's decryption Secret (`*.agekey` entries). */
export async function ageIdentities(ks: Kustomization, name: string, ctx: ReconcileContext): Promise<string[]> {
  const ns = ks.metadata.namespace!;
  let secret: { data?: Record<string, string> };
  try {
    secret = await ctx.api.get(secrets, ns, name);
  } catch (err) {
    const why = isNotFound(err) ? "not found" : (err as Error).message;
    throw new ReconcileError(ksReasons.buildFailed, `spec.decryption.secretRef: Secret '${ns}/${name}': ${why}`);
  }
  const ids: string[] = [];
  for (const [key, value] of Object.entries(secret.data ?? {})) {
    if (!key.endsWith(".agekey")) continue;
    for (const line of Buffer.from(value, "base64").toString("utf8").split("\n")) {
      const l = line.trim();
      if (l.startsWith("AGE-SECRET-KEY-")) ids.push(l);
    }
  }
  return ids;
}

/**
 * Before the build: copies the artifact folder and decrypts, in the copy, every YAML file holding
 * SOPS documents, so their MAC is checked against the file as written (kustomize later reorders
 * fields and adds namespaces). Returns the copy's root (under `scratch`), or undefined when nothing is encrypted.
 */
export async function decryptSources(ks: Kustomization, root: string, ctx: ReconcileContext, scratch: string): Promise<string | undefined> {
  if (!ks.spec.decryption) return undefined;
  const files = await encryptedFiles(root);
  if (files.length === 0) return undefined;
  const identities = ks.spec.decryption.secretRef ? await ageIdentities(ks, ks.spec.decryption.secretRef.name, ctx) : [];
  // In the process's scratch folder, which the next start sweeps should this process die holding plaintext.
  await mkdir(scratch, { recursive: true });
  const copy = await mkdtemp(join(scratch, "decrypt-"));
  await cp(root, copy, { recursive: true, verbatimSymlinks: true });
  try {
    for (const file of files) {
      const docs = parseAllDocuments(await readFile(join(root, file), "utf8")).map((d) => d.toJS() as Record<string, unknown> | null);
      const out: string[] = [];
      for (const doc of docs) {
        if (!doc) continue;
        try {
          out.push(stringify(isSopsEncrypted(doc) ? await decryptSops(doc, identities) : doc));
        } catch (err) {
          const what = `${String(doc.kind ?? "document")}/${String((doc.metadata as { name?: string } | undefined)?.name ?? file)}`;
          throw new ReconcileError(ksReasons.buildFailed, `decryption failed for '${what}' (${file}): ${(err as Error).message}`);
        }
      }
      await writeFile(join(copy, file), out.join("---\n"));
    }
  } catch (err) {
    await rm(copy, { recursive: true, force: true });
    throw err;
  }
  return copy;
}

async function encryptedFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(ya?ml|json)$/.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    const text = await readFile(path, "utf8");
    if (/mac:\s*ENC\[|"mac":\s*"ENC\[/.test(text)) found.push(relative(root, path));
  }
  return found;
}
