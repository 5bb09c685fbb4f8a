import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { renderCrdFiles } from "../../src/api/crd_files.ts";

test("config/crd is generated from src/api and up to date (npm run generate)", async () => {
  for (const [file, text] of renderCrdFiles()) {
    const onDisk = await readFile(join(import.meta.dirname, "..", "..", "config", "crd", file), "utf8").catch(() => "");
    assert.equal(onDisk, text, `config/crd/${file} is stale: run npm run generate`);
  }
});
