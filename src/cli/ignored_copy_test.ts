import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { copyIgnoring, parseIgnorePaths } from "./ignored_copy.ts";

test("--ignore-paths: repeatable and comma lists", () => {
  assert.deepEqual(parseIgnorePaths("b/", parseIgnorePaths("*.txt, !keep.txt", undefined)), ["*.txt", "!keep.txt", "b/"]);
});

test("copyIgnoring leaves out .git, .sourceignore matches and the patterns; ! re-includes", async () => {
  const src = await mkdtemp(join(tmpdir(), "ign-src-"));
  const files = [".git/HEAD", ".sourceignore", "apps/a.yaml", "apps/notes.txt", "apps/keep.txt", "tests/t.yaml", "secret.yaml", "logo.png"];
  for (const f of files) {
    await mkdir(join(src, f, ".."), { recursive: true });
    if (f !== ".sourceignore") await writeFile(join(src, f), "x");
  }
  await writeFile(join(src, ".sourceignore"), "secret.yaml\n");
  const dest = join(await mkdtemp(join(tmpdir(), "ign-dst-")), "tree");
  await copyIgnoring(src, dest, ["*.txt", "!keep.txt", "tests/"]);
  const got = (await readdir(dest, { recursive: true })).sort();
  // The user gave patterns, so the default ones (*.png, …) no longer apply, as in the source controller.
  assert.deepEqual(got, [".sourceignore", "apps", "apps/a.yaml", "apps/keep.txt", "logo.png"]);
  await rm(src, { recursive: true });
  await rm(join(dest, ".."), { recursive: true });
});
