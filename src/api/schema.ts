/**
 * Schema builders for Kubernetes structural OpenAPI v3 schemas.
 * TypeBox gives the TypeScript type; these helpers keep the JSON form structural
 * (no anyOf for enums, additionalProperties for maps, preserve-unknown-fields for free JSON).
 */
import { type SchemaOptions, type TSchema, type TUnsafe, Type } from "@sinclair/typebox";

export { Type, type Static, type TSchema } from "@sinclair/typebox";

/** A string limited to the given values. */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: SchemaOptions = {},
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ ...options, type: "string", enum: [...values] });
}

/** map[string]string */
export function StringMap(options: SchemaOptions = {}): TUnsafe<Record<string, string>> {
  return Type.Unsafe<Record<string, string>>({ ...options, type: "object", additionalProperties: { type: "string" } });
}

/** map[string]T */
export function MapOf<T extends TSchema>(value: T, options: SchemaOptions = {}): TUnsafe<Record<string, unknown>> {
  return Type.Unsafe<Record<string, unknown>>({ ...options, type: "object", additionalProperties: value });
}

/** Free-form JSON (apiextensionsv1.JSON): any value, kept as written. */
export function AnyJson(options: SchemaOptions = {}): TUnsafe<unknown> {
  return Type.Unsafe<unknown>({ ...options, "x-kubernetes-preserve-unknown-fields": true });
}

/** A free-form object (e.g. Helm values). */
export function FreeObject(options: SchemaOptions = {}): TUnsafe<Record<string, unknown>> {
  return Type.Unsafe<Record<string, unknown>>({ ...options, type: "object", "x-kubernetes-preserve-unknown-fields": true });
}

/** An embedded Kubernetes object with its own apiVersion/kind/metadata, kept as written. */
export function EmbeddedObject(options: SchemaOptions = {}): TUnsafe<Record<string, unknown>> {
  return Type.Unsafe<Record<string, unknown>>({
    ...options,
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
