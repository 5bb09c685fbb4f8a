import type { Crd } from "./flux_crds.ts";
import { fieldPaths } from "./schema_paths.ts";

/** One difference between two CRDs, addressed so that an allowlist entry can name it. */
export interface CrdDifference {
  crd: string;
  /** "names", "versions", "printerColumns", or a field path such as spec.ref.branch */
  path: string;
  /** The attribute that differs, or "missing"/"extra" for a field only one side has. */
  attribute: string;
  flux: unknown;
  ours: unknown;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function diffCrds(name: string, flux: Crd | undefined, ours: Crd | undefined): CrdDifference[] {
  if (!flux || !ours) {
    return [{ crd: name, path: "", attribute: flux ? "missing" : "extra", flux: !!flux, ours: !!ours }];
  }
  const out: CrdDifference[] = [];
  const add = (path: string, attribute: string, f: unknown, o: unknown) => {
    if (!same(f, o)) out.push({ crd: name, path, attribute, flux: f, ours: o });
  };
  const fn = flux.spec.names;
  const on = ours.spec.names;
  for (const key of ["kind", "plural", "singular", "listKind"] as const) add("names", key, fn[key], on[key]);
  add("names", "shortNames", [...(fn.shortNames ?? [])].sort(), [...(on.shortNames ?? [])].sort());
  add("names", "categories", [...(fn.categories ?? [])].sort(), [...(on.categories ?? [])].sort());
  add("group", "group", flux.spec.group, ours.spec.group);
  const versionsOf = (c: Crd) => c.spec.versions.map((v) => ({ name: v.name, served: v.served, storage: v.storage }));
  add("versions", "versions", versionsOf(flux), versionsOf(ours));
  for (const fv of flux.spec.versions) {
    const ov = ours.spec.versions.find((v) => v.name === fv.name);
    if (!ov) continue;
    const columns = (v: typeof fv) =>
      (v.additionalPrinterColumns ?? []).map((c) => ({ name: c.name, type: c.type, jsonPath: c.jsonPath, priority: c.priority ?? 0 }));
    add(`${fv.name}:printerColumns`, "printerColumns", columns(fv), columns(ov));
    add(`${fv.name}:subresources`, "subresources", fv.subresources ?? {}, ov.subresources ?? {});
    const fp = fieldPaths(fv.schema.openAPIV3Schema);
    const op = fieldPaths(ov.schema.openAPIV3Schema);
    for (const [path, facts] of fp) {
      const mine = op.get(path);
      if (!mine) {
        out.push({ crd: name, path: `${fv.name}:${path}`, attribute: "missing", flux: facts, ours: undefined });
        continue;
      }
      for (const attr of new Set([...Object.keys(facts), ...Object.keys(mine)])) {
        add(`${fv.name}:${path}`, attr, facts[attr], mine[attr]);
      }
    }
    for (const [path, facts] of op) {
      if (!fp.has(path)) out.push({ crd: name, path: `${fv.name}:${path}`, attribute: "extra", flux: undefined, ours: facts });
    }
  }
  return out;
}
