import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { parseAllDocuments } from "yaml";
import type { KustomizationSpec } from "../api/kustomize/kustomization.ts";
import { inside } from "../runtime/artifact/extract_archive.ts";
import { findKustomizationFile, isRemoteReference } from "./kustomization_files.ts";

/** The spec fields that shape a build; the overlay (and the build cache key) depend on nothing else. */
export type OverlaySpec = Pick<
  KustomizationSpec,
  "targetNamespace" | "namePrefix" | "nameSuffix" | "patches" | "images" | "components" | "ignoreMissingComponents" | "buildMetadata"
>;

export function overlaySpecOf(spec: KustomizationSpec): OverlaySpec {
  const { targetNamespace, namePrefix, nameSuffix, patches, images, components, ignoreMissingComponents, buildMetadata } = spec;
  return { targetNamespace, namePrefix, nameSuffix, patches, images, components, ignoreMissingComponents, buildMetadata };
}

export class GenerateError extends Error {}

/**
 * The kustomization that Sluice builds: the artifact's own kustomization.yaml at `dir` as its one
 * resource (or, when `dir` has none, every Kubernetes YAML file and kustomization subfolder below
 * it), with the Kustomization's targetNamespace, name prefix/suffix, patches, images, components
 * and build metadata layered on top. The artifact tree itself is shared and never written to.
 * Paths are relative to `overlayDir`. Returns undefined when there is nothing to build.
 */
export async function generateOverlay(root: string, dir: string, overlayDir: string, spec: OverlaySpec): Promise<Record<string, unknown> | undefined> {
  const rel = (p: string) => relative(overlayDir, p) || ".";
  const resources = findKustomizationFile(dir) ? [rel(dir)] : (await plainResources(root, dir)).map(rel);
  if (resources.length === 0) return undefined;
  const k: Record<string, unknown> = { apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization", resources };
  if (spec.targetNamespace) k.namespace = spec.targetNamespace;
  if (spec.namePrefix) k.namePrefix = spec.namePrefix;
  if (spec.nameSuffix) k.nameSuffix = spec.nameSuffix;
  if (spec.patches?.length) k.patches = spec.patches.map((p) => (p.target ? { patch: p.patch, target: p.target } : { patch: p.patch }));
  if (spec.images?.length) {
    k.images = spec.images.map((i) => {
      const out: Record<string, string> = { name: i.name };
      if (i.newName) out.newName = i.newName;
      if (i.digest) out.digest = i.digest;
      else if (i.newTag) out.newTag = i.newTag;
      return out;
    });
  }
  if (spec.components?.length) {
    const components: string[] = [];
    for (const [i, c] of spec.components.entries()) {
      if (isRemoteReference(c) || c.startsWith("/")) throw new GenerateError(`spec.components[${i}] ${JSON.stringify(c)} must be a local relative path`);
      const target = join(dir, c);
      if (!inside(root, target)) throw new GenerateError(`spec.components[${i}] ${JSON.stringify(c)} points outside the artifact`);
      if (!findKustomizationFile(target)) {
        if (spec.ignoreMissingComponents) continue;
        throw new GenerateError(`spec.components[${i}] ${JSON.stringify(c)}: no kustomization file found in ${relative(root, target) || "."}`);
      }
      components.push(rel(target));
    }
    if (components.length) k.components = components;
  }
  if (spec.buildMetadata?.length) k.buildMetadata = spec.buildMetadata;
  return k;
}

/** YAML files holding Kubernetes objects, and subfolders with a kustomization, below `dir`. */
async function plainResources(root: string, dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    const entries = (await readdir(d, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      const path = join(d, e.name);
      if (e.isDirectory()) {
        if (e.name.startsWith(".")) continue;
        if (findKustomizationFile(path)) out.push(path);
        else await walk(path);
      } else if ((e.isFile() || e.isSymbolicLink()) && /\.ya?ml$/.test(e.name)) {
        if (await holdsObjects(root, path)) out.push(path);
      }
    }
  };
  await walk(dir);
  return out;
}

async function holdsObjects(root: string, file: string): Promise<boolean> {
  const docs = parseAllDocuments(await readFile(file, "utf8"));
  let objects = 0;
  for (const doc of docs) {
    if (doc.errors.length) throw new GenerateError(`failed to decode Kubernetes YAML from ${relative(root, file)}: ${doc.errors[0].message.split("\n")[0]}`);
    const value = doc.toJS() as { apiVersion?: unknown; kind?: unknown } | null;
    if (value === null || value === undefined) continue;
    if (typeof value !== "object" || !value.apiVersion || !value.kind) {
      throw new GenerateError(`failed to decode Kubernetes YAML from ${relative(root, file)}: missing apiVersion or kind`);
    }
    objects++;
  }
  return objects > 0;
}
