/**
 * Schema builders for Kubernetes structural OpenAPI v3 schemas.
 * TypeBox gives the TypeScript type; these helpers keep the JSON form structural
 * (no anyOf for enums, additionalProperties for maps, preserve-unknown-fields for free JSON).
 */
import { FormatRegistry, Kind, type SchemaOptions, type TSchema, type TUnsafe, Type, TypeRegistry } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { isRecord } from "./is_record.ts";

export { Type, type Static, type TSchema } from "@sinclair/typebox";

/** Teaches TypeBox's Value.Check the custom kinds below; the CRD JSON never sees these (symbol keys). */
function register(kind: string, check: (schema: Record<string, unknown>, value: unknown) => boolean): void {
  if (!TypeRegistry.Has(kind)) TypeRegistry.Set(kind, check);
}
register("StringEnum", (s, v) => typeof v === "string" && (s.enum as string[]).includes(v));
register("StringMap", (_s, v) => isRecord(v) && Object.values(v).every((x) => typeof x === "string"));
register("MapOf", (s, v) => isRecord(v) && Object.values(v).every((x) => Value.Check(s.additionalProperties as TSchema, x)));
register("AnyJson", () => true);
register("FreeObject", (_s, v) => isRecord(v));
register("EmbeddedObject", (_s, v) => isRecord(v));
const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
if (!FormatRegistry.Has("date-time")) FormatRegistry.Set("date-time", (v) => rfc3339.test(v) && !Number.isNaN(Date.parse(v)));

/** A string limited to the given values. */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: SchemaOptions = {},
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ ...options, [Kind]: "StringEnum", type: "string", enum: [...values] });
}

/** map[string]string */
export function StringMap(options: SchemaOptions = {}): TUnsafe<Record<string, string>> {
  return Type.Unsafe<Record<string, string>>({ ...options, [Kind]: "StringMap", type: "object", additionalProperties: { type: "string" } });
}

/** map[string]T */
export function MapOf<T extends TSchema>(value: T, options: SchemaOptions = {}): TUnsafe<Record<string, unknown>> {
  return Type.Unsafe<Record<string, unknown>>({ ...options, [Kind]: "MapOf", type: "object", additionalProperties: value });
}

/** Free-form JSON (apiextensionsv1.JSON): any value, kept as written. */
export function AnyJson(options: SchemaOptions = {}): TUnsafe<unknown> {
  return Type.Unsafe<unknown>({ ...options, [Kind]: "AnyJson", "x-kubernetes-preserve-unknown-fields": true });
}

/** A free-form object (e.g. Helm values). */
export function FreeObject(options: SchemaOptions = {}): TUnsafe<Record<string, unknown>> {
  return Type.Unsafe<Record<string, unknown>>({ ...options, [Kind]: "FreeObject", type: "object", "x-kubernetes-preserve-unknown-fields": true });
}

/** An embedded Kubernetes object with its own apiVersion/kind/metadata, kept as written. */
export function EmbeddedObject(options: SchemaOptions = {}): TUnsafe<Record<string, unknown>> {
  return Type.Unsafe<Record<string, unknown>>({
    ...options,
    [Kind]: "EmbeddedObject",
    type: "object",
    "x-kubernetes-embedded-resource": true,
    "x-kubernetes-preserve-unknown-fields": true,
  });
}

/** A CEL validation rule attached to an object schema (x-kubernetes-validations). */
export interface ValidationRule {
  rule: string;
  message?: string;
}

/** Adds CEL rules to a schema. */
export function withRules<T extends TSchema>(schema: T, rules: ValidationRule[]): T {
  return { ...schema, "x-kubernetes-validations": rules };
}

/** int64 (Go int64 / metav1 integer fields). */
export function Int64(options: SchemaOptions = {}): ReturnType<typeof Type.Integer> {
  return Type.Integer({ ...options, format: "int64" });
}

/** int32 */
export function Int32(options: SchemaOptions = {}): ReturnType<typeof Type.Integer> {
  return Type.Integer({ ...options, format: "int32" });
}

/** metav1.Time, RFC 3339. */
export function Timestamp(options: SchemaOptions = {}): ReturnType<typeof Type.String> {
  return Type.String({ ...options, format: "date-time" });
}
