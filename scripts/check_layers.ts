/**
 * Fails when an import points up the layers: src/api → src/runtime → controllers → src/cli, src/ui.
 * Controllers never import each other; src/api does no I/O.
 */
import { readdir, readFile } from "node:fs/promises";
import { join, relative, resolve, dirname } from "node:path";

const root = join(import.meta.dirname, "..");
const src = join(root, "src");
const controllers = ["source", "kustomize", "helm", "notification"];

/** Which top-level folders of src/ each folder may import from. */
const allowed: Record<string, string[]> = {
  api: ["api"],
  runtime: ["api", "runtime"],
  dev: ["api", "runtime", "dev"],
  ...Object.fromEntries(controllers.map((c) => [c, ["api", "runtime", c]])),
  cli: ["api", "runtime", "dev", ...controllers, "cli"],
  ui: ["api", "runtime", ...controllers, "ui"],
};
const ioModules = /^(node:)?(fs|fs\/promises|http|https|net|child_process|dgram|tls|worker_threads)$|^undici$/;

async function* files(dir: string): AsyncGenerator<string> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (p.endsWith(".ts")) yield p;
  }
}

export async function findViolations(): Promise<string[]> {
  const problems: string[] = [];
  for await (const file of files(src)) {
    const layer = relative(src, file).split("/")[0];
    const rules = allowed[layer];
    if (!rules) {
      problems.push(`${relative(root, file)}: src/${layer}/ is not a known layer (add it to scripts/check_layers.ts)`);
      continue;
    }
    const text = await readFile(file, "utf8");
    for (const m of text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']/gms)) {
      const spec = m[1];
      if (spec.startsWith(".")) {
        const target = relative(src, resolve(dirname(file), spec));
        const targetLayer = target.split("/")[0];
        if (target.startsWith("..")) problems.push(`${relative(root, file)}: imports ${spec}, outside src/`);
        else if (!rules.includes(targetLayer)) problems.push(`${relative(root, file)}: src/${layer} may not import src/${targetLayer} (${spec})`);
      } else if (layer === "api" && ioModules.test(spec) && !file.endsWith("_test.ts")) {
        problems.push(`${relative(root, file)}: src/api does no I/O but imports ${spec}`);
      }
    }
  }
  return problems;
}

if (import.meta.main) {
  const problems = await findViolations();
  for (const p of problems) console.error(`layering: ${p}`);
  if (problems.length) process.exit(1);
  console.log("layering: ok");
}
