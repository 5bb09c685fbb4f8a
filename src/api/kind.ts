import type { TSchema, ValidationRule } from "./schema.ts";

export interface PrinterColumn {
  name: string;
  type: "string" | "date" | "integer" | "number" | "boolean";
  jsonPath: string;
  description?: string;
  priority?: number;
}

/** Everything needed to serve one kind: names, schemas and how kubectl prints it. */
export interface KindDefinition {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  shortNames?: string[];
  categories?: string[];
  description: string;
  spec: TSchema;
  /** Absent for kinds with no status and no status subresource (e.g. Alert, Provider). */
  status?: TSchema;
  /** The status object's own default, e.g. {observedGeneration: -1} for sources. */
  statusDefault?: Record<string, unknown>;
  /** CEL rules on the whole object, e.g. to require spec fields that the spec schema leaves optional. */
  rules?: ValidationRule[];
  printerColumns: PrinterColumn[];
}

/** The object's age; the only column of static kinds such as Alert and Provider. */
export const ageColumn: PrinterColumn = { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" };

/** The columns every Flux kind ends with: age, then the Ready condition's status and message. */
export const readyColumns: PrinterColumn[] = [
  ageColumn,
  { name: "Ready", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
  { name: "Status", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].message' },
];

export function apiVersionOf(def: KindDefinition): string {
  return `${def.group}/${def.version}`;
}
