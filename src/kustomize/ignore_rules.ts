import type { IgnoreRule } from "../api/applier.ts";
import type { KubeObject } from "../api/meta.ts";
import { parseJsonPointer } from "../runtime/apply/json_pointer.ts";
import { compileRegexSelector } from "../runtime/apply/regex_selector.ts";

/** A spec.ignore rule that does not compile; the message names the rule and field. */
export class IgnoreRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IgnoreRuleError";
  }
}

/**
 * Compiles spec.ignore into the function applySet takes: the JSON pointers to leave alone on a
 * desired object, from every rule whose target matches it (all objects when a rule has none;
 * group, version, kind, namespace and name are anchored regular expressions, label and annotation
 * selectors label-selector expressions). Undefined without rules. Throws an IgnoreRuleError
 * naming the first bad pointer or selector field, e.g. `spec.ignore[1].target.kind: …`.
 */
export function compileIgnoreRules(rules: readonly IgnoreRule[] | undefined): ((obj: KubeObject) => string[]) | undefined {
  if (!rules || rules.length === 0) return undefined;
  const compiled = rules.map((rule, i) => {
    for (const [j, path] of (rule.paths ?? []).entries()) {
      try {
        parseJsonPointer(path);
      } catch (err) {
        throw new IgnoreRuleError(`spec.ignore[${i}].paths[${j}]: ${(err as Error).message}`);
      }
    }
    let matches: (obj: KubeObject) => boolean = () => true;
    if (rule.target) {
      try {
        matches = compileRegexSelector(rule.target);
      } catch (err) {
        throw new IgnoreRuleError(`spec.ignore[${i}].target.${(err as Error).message}`);
      }
    }
    return { paths: rule.paths ?? [], matches };
  });
  return (obj) => {
    const out = new Set<string>();
    for (const r of compiled) if (r.matches(obj)) for (const p of r.paths) out.add(p);
    return [...out];
  };
}
