import { existsSync } from "node:fs";
import { join } from "node:path";

/** File names kustomize recognizes, in its order. */
export const kustomizationFileNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/** The kustomization file in `dir`, if any. */
export function findKustomizationFile(dir: string): string | undefined {
  for (const name of kustomizationFileNames) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** Whether a kustomize resource entry points outside the artifact (a git or http URL). */
export function isRemoteReference(entry: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || /^(git@|github\.com[:/]|gitlab\.com[:/]|bitbucket\.org[:/]|gh:|git::)/.test(entry);
}
