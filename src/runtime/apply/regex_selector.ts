import type { ObjectSelector } from "../../api/applier.ts";
import type { KubeObject } from "../../api/meta.ts";
import { parseLabelSelector } from "./label_selector.ts";
import { linearRegExp } from "./linear_regexp.ts";

/** A selector field that does not compile; `field` is its name (e.g. "kind", "labelSelector"). */
export class SelectorError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = "SelectorError";
    this.field = field;
  }
}

const regexFields = ["group", "version", "kind", "namespace", "name"] as const;

/**
 * Compiles an object selector whose group, version, kind, namespace and name are regular
 * expressions that must match the whole value (`Deploy.*`, `apps|batch`), as Flux's drift-ignore
 * rules take them; labelSelector and annotationSelector are label-selector expressions. Unset
 * fields match everything. Throws a SelectorError naming the field at fault.
 */
export function compileRegexSelector(sel: ObjectSelector): (obj: KubeObject) => boolean {
  const tests: Array<(obj: KubeObject) => boolean> = [];
  for (const field of regexFields) {
    const pattern = sel[field];
    if (!pattern) continue;
    let re: RegExp;
    try {
      // Checked alone first, so that a pattern like "a)|(b" cannot break out of the anchors.
      linearRegExp(pattern);
      re = linearRegExp(`^(?:${pattern})$`);
    } catch (err) {
      throw new SelectorError(field, `${JSON.stringify(pattern)}: ${(err as Error).message}`);
    }
    tests.push((obj) => re.test(fieldOf(obj, field)));
  }
  for (const field of ["labelSelector", "annotationSelector"] as const) {
    const expr = sel[field];
    if (!expr) continue;
    let matches: ReturnType<typeof parseLabelSelector>;
    try {
      matches = parseLabelSelector(expr);
    } catch (err) {
      throw new SelectorError(field, `${JSON.stringify(expr)}: ${(err as Error).message}`);
    }
    tests.push((obj) => matches(field === "labelSelector" ? obj.metadata?.labels : obj.metadata?.annotations));
  }
  return (obj) => tests.every((t) => t(obj));
}

function fieldOf(obj: KubeObject, field: (typeof regexFields)[number]): string {
  const apiVersion = obj.apiVersion ?? "";
  const slash = apiVersion.indexOf("/");
  switch (field) {
    case "group":
      return slash >= 0 ? apiVersion.slice(0, slash) : "";
    case "version":
      return slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion;
    case "kind":
      return obj.kind ?? "";
    case "namespace":
      return obj.metadata?.namespace ?? "";
    case "name":
      return obj.metadata?.name ?? "";
  }
}
