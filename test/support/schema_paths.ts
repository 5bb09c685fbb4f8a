/** Flattens a CRD into one line per field path, with the attributes the compatibility test compares. */
export const comparedAttributes = [
  "type",
  "enum",
  "pattern",
  "default",
  "format",
  "minimum",
  "maximum",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "x-kubernetes-validations",
  "x-kubernetes-preserve-unknown-fields",
  "x-kubernetes-int-or-string",
  "x-kubernetes-embedded-resource",
] as const;

export type FieldFacts = Record<string, unknown>;

interface Schema {
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
  required?: string[];
  [key: string]: unknown;
}

/** path → facts, e.g. "spec.ref.branch" → {type: "string", required: false}. */
export function fieldPaths(root: Schema): Map<string, FieldFacts> {
  const out = new Map<string, FieldFacts>();
  const walk = (s: Schema, path: string, required: boolean) => {
    const facts: FieldFacts = { required };
    for (const a of comparedAttributes) {
      if (s[a] !== undefined) facts[a] = a === "x-kubernetes-validations" ? normaliseRules(s[a]) : s[a];
    }
    out.set(path, facts);
    for (const [k, v] of Object.entries(s.properties ?? {})) {
      walk(v, path ? `${path}.${k}` : k, (s.required ?? []).includes(k));
    }
    if (s.items) walk(s.items, `${path}[]`, false);
    if (s.additionalProperties && typeof s.additionalProperties === "object") walk(s.additionalProperties, `${path}{}`, false);
  };
  walk(root, "", false);
  return out;
}

function normaliseRules(rules: unknown): string[] {
  return (rules as Array<{ rule: string }>).map((r) => r.rule).sort();
}
