/** Writes config/crd/<plural>.<group>.yaml for every kind. `--check` fails when a checked-in file differs. */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { renderCrdFiles } from "../src/api/crd_files.ts";

const root = join(import.meta.dirname, "..");
const check = process.argv.includes("--check");
let stale = 0;
for (const [file, text] of renderCrdFiles()) {
  const path = join(root, "config", "crd", file);
  const current = await readFile(path, "utf8").catch(() => "");
  if (current === text) continue;
  if (check) {
    console.error(`stale: config/crd/${file} (run: npm run generate)`);
    stale++;
  } else {
    await writeFile(path, text);
    console.log(`wrote config/crd/${file}`);
  }
}
process.exitCode = stale ? 1 : 0;
