import { lstat, readFile, realpath, stat } from "node:fs/promises";
import { isAbsolute, join, relative } from "node:path";
import { parse } from "yaml";
import { inside } from "../runtime/artifact/extract_archive.ts";
import { findKustomizationFile, isRemoteReference } from "./kustomization_files.ts";

/** A kustomization that reaches outside the artifact; the message names the file and the entry. */
export class ReferenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReferenceError";
  }
}

type Json = Record<string, unknown>;

/**
 * Walks the kustomization in `dir` and every local base, component and file it references and
 * refuses absolute paths, paths that leave `root` (../ or a symlink), and, when `noRemoteBases`,
 * remote bases. kustomize itself then runs without load restrictions, as Flux's does, so these
 * checks are what keeps a build inside its artifact.
 */
export async function checkLocalReferences(root: string, dir: string, noRemoteBases: boolean): Promise<void> {
  const seen = new Set<string>();
  const visit = async (kdir: string): Promise<void> => {
    if (seen.has(kdir)) return;
    seen.add(kdir);
    const file = findKustomizationFile(kdir);
    if (!file) return;
    const where = relative(root, file) || file;
    let doc: Json;
    try {
      doc = (parse(await readFile(file, "utf8")) ?? {}) as Json;
    } catch (err) {
      throw new ReferenceError(`${where}: invalid YAML: ${(err as Error).message.split("\n")[0]}`);
    }
    if (typeof doc !== "object" || Array.isArray(doc)) throw new ReferenceError(`${where}: not a kustomization (expected a mapping)`);
    for (const { field, entry, dirLike } of references(doc)) {
      if (isRemoteReference(entry)) {
        if (noRemoteBases) throw new ReferenceError(`${where}: ${field} entry ${JSON.stringify(entry)} is a remote base, refused by --no-remote-bases`);
        continue;
      }
      if (isAbsolute(entry)) throw new ReferenceError(`${where}: ${field} entry ${JSON.stringify(entry)} is an absolute path`);
      const target = join(kdir, entry);
      if (!inside(root, target)) throw new ReferenceError(`${where}: ${field} entry ${JSON.stringify(entry)} points outside the artifact`);
      const real = await realpath(target).catch(() => undefined);
      if (real === undefined) {
        if (await lstat(target).then(() => true, () => false)) throw new ReferenceError(`${where}: ${field} entry ${JSON.stringify(entry)} is a dangling link`);
        continue; // kustomize reports missing files itself
      }
      if (!inside(await realpath(root), real)) throw new ReferenceError(`${where}: ${field} entry ${JSON.stringify(entry)} resolves outside the artifact through a symlink`);
      if (dirLike && (await stat(real)).isDirectory()) await visit(target);
    }
  };
  await visit(dir);
}

function* references(doc: Json): Generator<{ field: string; entry: string; dirLike: boolean }> {
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
  for (const field of ["resources", "bases", "components"]) for (const entry of strings(doc[field])) yield { field, entry, dirLike: true };
  for (const field of ["crds", "configurations"]) for (const entry of strings(doc[field])) yield { field, entry, dirLike: false };
  for (const field of ["generators", "transformers", "validators"]) {
    for (const entry of strings(doc[field])) if (!entry.includes("\n")) yield { field, entry, dirLike: true };
  }
  for (const entry of strings(doc.patchesStrategicMerge)) if (!entry.includes("\n")) yield { field: "patchesStrategicMerge", entry, dirLike: false };
  for (const field of ["patches", "patchesJson6902", "replacements"]) {
    for (const p of Array.isArray(doc[field]) ? (doc[field] as Json[]) : []) {
      if (p && typeof p.path === "string") yield { field: `${field}.path`, entry: p.path, dirLike: false };
    }
  }
  for (const field of ["configMapGenerator", "secretGenerator"]) {
    for (const g of Array.isArray(doc[field]) ? (doc[field] as Json[]) : []) {
      if (!g) continue;
      for (const f of strings(g.files)) yield { field: `${field}.files`, entry: f.includes("=") ? f.slice(f.indexOf("=") + 1) : f, dirLike: false };
      for (const e of [...strings(g.envs), ...(typeof g.env === "string" ? [g.env] : [])]) yield { field: `${field}.envs`, entry: e, dirLike: false };
    }
  }
  const openapi = doc.openapi as Json | undefined;
  if (openapi && typeof openapi.path === "string") yield { field: "openapi.path", entry: openapi.path, dirLike: false };
  const helm = doc.helmGlobals as Json | undefined;
  if (helm && typeof helm.chartHome === "string") yield { field: "helmGlobals.chartHome", entry: helm.chartHome, dirLike: false };
}
