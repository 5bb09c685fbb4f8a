import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { makeWorkDir } from "./work_dir.ts";

test("makeWorkDir removes the folders of dead processes and keeps live ones", async (t) => {
  const base = await mkdtemp(join(tmpdir(), "work-dir-test-"));
  t.after(() => rm(base, { recursive: true, force: true }));
  const dead = join(base, "sluice-kustomize-999999999-abc123");
  const live = join(base, `sluice-kustomize-${process.ppid}-def456`);
  const other = join(base, "something-else");
  for (const d of [dead, live, other]) await mkdir(d);
  const mine = await makeWorkDir(base);
  assert.ok(mine.startsWith(join(base, `sluice-kustomize-${process.pid}-`)));
  assert.equal(existsSync(dead), false);
  assert.equal(existsSync(live), true);
  assert.equal(existsSync(other), true);
});
