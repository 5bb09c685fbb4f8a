import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadSourceIgnore } from "./source_ignore.ts";

async function tree(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "ign-"));
  for (const [p, c] of Object.entries(files)) {
    await mkdir(join(dir, p, ".."), { recursive: true });
    await writeFile(join(dir, p), c);
  }
  return dir;
}

test("defaults apply only when no user patterns exist; VCS patterns always", async () => {
  const dir = await tree({ "a.yaml": "" });
  const ig = await loadSourceIgnore(dir);
  assert.equal(ig(".git", true), true);
  assert.equal(ig("logo.png", false), true);
  assert.equal(ig(".github", true), true);
  assert.equal(ig("deploy/x.yaml", false), false);
  const withSpec = await loadSourceIgnore(dir, "*.txt\n");
  assert.equal(withSpec("logo.png", false), false, "defaults dropped once the user gives patterns");
  assert.equal(withSpec("notes.txt", false), true);
  assert.equal(withSpec(".gitignore", false), true);
  await rm(dir, { recursive: true });
});

test(".sourceignore files are scoped to their directory and spec.ignore wins", async () => {
  const dir = await tree({ ".sourceignore": "*.md\n", "sub/.sourceignore": "# comment\nsecret.yaml\n", "sub/x": "" });
  const ig = await loadSourceIgnore(dir, "!keep.md\n");
  assert.equal(ig("README.md", false), true);
  assert.equal(ig("keep.md", false), false);
  assert.equal(ig("sub/secret.yaml", false), true);
  assert.equal(ig("secret.yaml", false), false, "sub's rules do not reach the root");
  await rm(dir, { recursive: true });
});
