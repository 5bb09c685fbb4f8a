import { InvalidArgumentError } from "commander";
import { stringify } from "yaml";
import type { KubeObject } from "../api/meta.ts";

export type OutputFormat = "yaml" | "json";

export function parseOutputFlag(value: string): OutputFormat {
  if (value !== "yaml" && value !== "json") throw new InvalidArgumentError(`want yaml or json, got ${JSON.stringify(value)}`);
  return value;
}

/** The object as read, without managedFields (noise nobody reads, as kubectl hides them). */
function forDisplay(obj: KubeObject): KubeObject {
  const { managedFields: _, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/** YAML documents separated by ---, or one JSON object (a v1 List when there are several or none). */
export function formatObjects(objects: KubeObject[], format: OutputFormat, single: boolean): string {
  const shown = objects.map(forDisplay);
  if (format === "json") {
    const value = single && shown.length === 1 ? shown[0] : { apiVersion: "v1", kind: "List", items: shown, metadata: {} };
    return `${JSON.stringify(value, null, 2)}\n`;
  }
  return yamlDocuments(shown);
}

/** Each object as a YAML document starting with ---, as --export and build print them. */
export function yamlDocuments(objects: unknown[]): string {
  return objects.map((o) => `---\n${stringify(o, { lineWidth: 0 })}`).join("");
}
