import type { Kustomization } from "../api/kustomize/kustomization.ts";
import type { KubeObject } from "../api/meta.ts";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import { ReconcileError, type ReconcileContext } from "../runtime/controller/reconciler.ts";
import { readConfig } from "./config_refs.ts";
import { decryptSops, isSopsEncrypted, SopsError, type SopsKeys } from "./decrypt_sops.ts";
import { ksReasons } from "./reasons.ts";
import type { SecretName } from "./sops_age_secret.ts";
import { readPgpKeys } from "./sops_pgp.ts";

/**
 * spec.decryption: decrypts every built object that carries SOPS metadata with the age keys
 * (`*.agekey` entries) and PGP keys (`*.asc` entries) of decryption.secretRef, then the age keys of
 * the --sops-age-secret Secret (`fallbackAge`), unless the object is annotated
 * kustomize.toolkit.fluxcd.io/decrypt: disabled. Objects are replaced in place.
 */
export async function decrypt(ks: Kustomization, objects: KubeObject[], ctx: ReconcileContext, fallbackAge?: SecretName, leftEncrypted?: LeftEncrypted): Promise<void> {
  const dec = ks.spec.decryption;
  if (!dec) return;
  const targets = objects.map((o, i) => [o, i] as const).filter(([o]) => isSopsEncrypted(o) && o.metadata.annotations?.["kustomize.toolkit.fluxcd.io/decrypt"]?.toLowerCase() !== "disabled");
  if (targets.length === 0) return;
  const keys = await sopsKeys(ks, ctx, fallbackAge);
  for (const [obj, i] of targets) {
    try {
      objects[i] = (await decryptSops(obj as unknown as Record<string, unknown>, keys)) as unknown as KubeObject;
    } catch (err) {
      // The failure before the build names the file, and is not confused by what kustomize changed.
      const before = leftEncrypted?.get(`${obj.kind}/${obj.metadata.name}`) ?? leftEncrypted?.get(`${obj.kind}/${unprefixed(ks, obj.metadata.name!)}`);
      const why = before ?? `'${obj.kind}/${obj.metadata.name}': ${err instanceof SopsError ? err.message : (err as Error).message}`;
      throw new ReconcileError(ksReasons.buildFailed, `decryption failed for ${why}`);
    }
  }
}

/** A built object's name as its source file has it: without spec.namePrefix and spec.nameSuffix. */
function unprefixed(ks: Kustomization, name: string): string {
  const prefix = ks.spec.namePrefix ?? "";
  const suffix = ks.spec.nameSuffix ?? "";
  if (!name.startsWith(prefix) || !name.endsWith(suffix) || name.length < prefix.length + suffix.length) return name;
  return name.slice(prefix.length, name.length - suffix.length);
}

/**
 * The keys of the Kustomization's decryption Secret: age identities from `*.agekey` entries, PGP
 * private keys from `*.asc` entries (armored, without a passphrase), as in Flux; then, as a
 * fallback, the age identities of the --sops-age-secret Secret (`fallbackAge`, in the runtime
 * namespace). The Kustomization's own keys come first and so take precedence. A missing fallback
 * Secret is not an error here: only a document no other key fits fails, and its message says so.
 */
export async function sopsKeys(ks: Kustomization, ctx: ReconcileContext, fallbackAge?: SecretName): Promise<SopsKeys> {
  const name = ks.spec.decryption?.secretRef?.name;
  const keys: SopsKeys = { age: [], pgp: [], origin: "the Kustomization (spec.decryption.secretRef is not set)" };
  if (name) {
    const ns = ks.metadata.namespace!;
    keys.origin = `Secret '${ns}/${name}'`;
    const secret = await readSecret(ctx, ns, name, `spec.decryption.secretRef: ${keys.origin}`);
    if (!secret) throw new ReconcileError(ksReasons.buildFailed, `spec.decryption.secretRef: ${keys.origin}: not found`);
    for (const [key, value] of Object.entries(secret.data ?? {})) {
      const text = Buffer.from(value, "base64").toString("utf8");
      if (key.endsWith(".agekey")) {
        keys.age.push(...ageIdentities(text));
      } else if (key.endsWith(".asc")) {
        try {
          keys.pgp.push(...(await readPgpKeys(text, key)));
        } catch (err) {
          throw new ReconcileError(ksReasons.buildFailed, `spec.decryption.secretRef: ${keys.origin}: ${(err as Error).message}`);
        }
      }
    }
  }
  if (fallbackAge) {
    const fallback = `Secret '${fallbackAge.namespace}/${fallbackAge.name}' (--sops-age-secret)`;
    const secret = await readSecret(ctx, fallbackAge.namespace, fallbackAge.name, fallback);
    if (!secret) {
      keys.missing = `the fallback ${fallback} is not found`;
    } else {
      for (const [key, value] of Object.entries(secret.data ?? {})) {
        if (key.endsWith(".agekey")) keys.age.push(...ageIdentities(Buffer.from(value, "base64").toString("utf8")));
      }
      keys.origin = name ? `${keys.origin} or the fallback ${fallback}` : `the fallback ${fallback}`;
    }
  }
  return keys;
}

async function readSecret(ctx: ReconcileContext, namespace: string, name: string, what: string): Promise<{ data?: Record<string, string> } | undefined> {
  try {
    return await readConfig(ctx, "Secret", namespace, name);
  } catch (err) {
    throw new ReconcileError(ksReasons.buildFailed, `${what}: ${(err as Error).message}`);
  }
}

/** The age identities of an `*.agekey` entry (an age-keygen file: comments and one key a line). */
function ageIdentities(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.startsWith("AGE-SECRET-KEY-"));
}

/**
 * Before the build: copies the artifact folder and decrypts, in the copy, every YAML file holding
 * SOPS documents, so their MAC is checked against the file as written (kustomize later reorders
 * fields and adds namespaces). Returns the copy's root (under `scratch`), or undefined when nothing is encrypted.
 *
 * The artifact may hold files this Kustomization never builds (another team's folder, encrypted to
 * other keys): a file that does not decrypt is left as it is. Should the build use it, its objects
 * come out still encrypted and `decrypt` fails on them, naming the object and the keys.
 */
/** Documents left encrypted before the build, by Kind/name, with why and from which file. */
export type LeftEncrypted = Map<string, string>;

export async function decryptSources(
  ks: Kustomization,
  root: string,
  ctx: ReconcileContext,
  scratch: string,
  fallbackAge?: SecretName,
): Promise<{ dir: string; leftEncrypted: LeftEncrypted } | undefined> {
  if (!ks.spec.decryption) return undefined;
  const files = await encryptedFiles(root);
  if (files.length === 0) return undefined;
  const keys = await sopsKeys(ks, ctx, fallbackAge);
  // In the process's scratch folder, which the next start sweeps should this process die holding plaintext.
  await mkdir(scratch, { recursive: true });
  const copy = await mkdtemp(join(scratch, "decrypt-"));
  await cp(root, copy, { recursive: true, verbatimSymlinks: true });
  const leftEncrypted: LeftEncrypted = new Map();
  try {
    for (const file of files) {
      const docs = parseAllDocuments(await readFile(join(root, file), "utf8")).map((d) => d.toJS() as Record<string, unknown> | null);
      const out: string[] = [];
      for (const doc of docs) {
        if (!doc) continue;
        try {
          out.push(stringify(isSopsEncrypted(doc) ? await decryptSops(doc, keys) : doc));
        } catch (err) {
          if (!(err instanceof SopsError)) throw err;
          const what = `${String(doc.kind ?? "document")}/${String((doc.metadata as { name?: string } | undefined)?.name ?? file)}`;
          leftEncrypted.set(what, `'${what}' (${file}): ${err.message}`);
          out.push(stringify(doc));
        }
      }
      await writeFile(join(copy, file), out.join("---\n"));
    }
  } catch (err) {
    await rm(copy, { recursive: true, force: true });
    throw err;
  }
  return { dir: copy, leftEncrypted };
}

/**
 * The SOPS files of an extracted artifact, found once per extraction: its folder is named after the
 * digest and never changes, while every Kustomization with decryption on it asks at each reconcile.
 */
const encryptedByRoot = new Map<string, Promise<string[]>>();
const encryptedByRootMax = 64;

function encryptedFiles(root: string): Promise<string[]> {
  let found = encryptedByRoot.get(root);
  if (!found) {
    found = scanEncryptedFiles(root);
    found.catch(() => encryptedByRoot.delete(root));
    if (encryptedByRoot.size >= encryptedByRootMax) encryptedByRoot.delete(encryptedByRoot.keys().next().value!);
    encryptedByRoot.set(root, found);
  }
  return found;
}

async function scanEncryptedFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(ya?ml|json)$/.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    const text = await readFile(path, "utf8");
    if (/mac:\s*ENC\[|"mac":\s*"ENC\[/.test(text)) found.push(relative(root, path));
  }
  return found;
}
