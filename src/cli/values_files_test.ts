import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { mergeValues, readValuesFiles } from "./values_files.ts";

test("maps merge key by key, later files win, lists are replaced", () => {
  assert.deepEqual(mergeValues({ a: { b: 1, c: [1, 2] }, d: "x" }, { a: { c: [3], e: true }, d: null }), { a: { b: 1, c: [3], e: true }, d: null });
});

test("readValuesFiles merges in order and says what is wrong with a bad file", async () => {
  const dir = await mkdtemp(join(tmpdir(), "sluice-values-"));
  try {
    await writeFile(join(dir, "a.yaml"), "replicas: 1\nimage:\n  tag: '1.0'\n  repo: web\n");
    await writeFile(join(dir, "b.yaml"), "image:\n  tag: '2.0'\n");
    await writeFile(join(dir, "empty.yaml"), "");
    await writeFile(join(dir, "list.yaml"), "- a\n");
    await writeFile(join(dir, "bad.yaml"), "a: [1\n");
    assert.deepEqual(await readValuesFiles([join(dir, "a.yaml"), join(dir, "b.yaml"), join(dir, "empty.yaml")]), { replicas: 1, image: { tag: "2.0", repo: "web" } });
    await assert.rejects(readValuesFiles([join(dir, "none.yaml")]), /cannot read --values file .*none\.yaml: ENOENT/);
    await assert.rejects(readValuesFiles([join(dir, "list.yaml")]), /must hold a map of values, got a list/);
    await assert.rejects(readValuesFiles([join(dir, "bad.yaml")]), /is not valid YAML: /);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
