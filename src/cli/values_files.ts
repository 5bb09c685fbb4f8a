import { readFile } from "node:fs/promises";
import { parseDocument } from "yaml";
import { CliError } from "./cli_error.ts";

type Values = Record<string, unknown>;

const isMap = (v: unknown): v is Values => v !== null && typeof v === "object" && !Array.isArray(v);

/** Values merged as Helm merges -f files: maps key by key, anything else (lists too) replaced by the later file. */
export function mergeValues(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = isMap(out[key]) && isMap(value) ? mergeValues(out[key], value) : value;
  return out;
}

/** Reads --values files in order and merges them; a file that is missing or not a YAML map is one line. */
export async function readValuesFiles(paths: string[]): Promise<Values> {
  let merged: Values = {};
  for (const path of paths) {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (err) {
      throw new CliError(`cannot read --values file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const doc = parseDocument(text);
    if (doc.errors.length) throw new CliError(`--values file ${path} is not valid YAML: ${doc.errors[0].message.split("\n")[0]}`);
    const values = doc.toJS() as unknown;
    if (values === null || values === undefined) continue;
    if (!isMap(values)) throw new CliError(`--values file ${path} must hold a map of values, got ${Array.isArray(values) ? "a list" : typeof values}`);
    merged = mergeValues(merged, values);
  }
  return merged;
}
