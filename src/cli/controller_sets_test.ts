import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Registry } from "prom-client";
import { defaultControllerFlags } from "../runtime/controller_flags.ts";
import type { Manager } from "../runtime/manager.ts";
import { controllerSets, reconciledKinds, sluiceReconciles } from "./controller_sets.ts";

test("reconciledKinds lists exactly the kinds each controller set registers", async () => {
  const storage = await mkdtemp(join(tmpdir(), "sluice-sets-"));
  try {
    for (const [name, register] of Object.entries(controllerSets)) {
      const kinds: string[] = [];
      const runnables: Array<{ stop?: () => Promise<void> }> = [];
      // Registration only wires reconcilers and runnables together; nothing is started.
      const recorder = {
        add: (r: { kind: { kind: string } }) => void kinds.push(r.kind.kind),
        addRunnable: (r: { stop?: () => Promise<void> }) => void runnables.push(r),
        cache: {},
        client: {},
        metrics: { registry: new Registry() },
      } as unknown as Manager;
      await register(recorder, defaultControllerFlags({ storagePath: storage, storageAddr: "127.0.0.1:0" }));
      for (const r of runnables) await r.stop?.().catch(() => undefined);
      assert.deepEqual(kinds.sort(), [...(reconciledKinds[name] ?? [])].sort(), `controller set ${name}`);
    }
  } finally {
    await rm(storage, { recursive: true, force: true });
  }
  assert.equal(sluiceReconciles("GitRepository"), true);
  assert.equal(sluiceReconciles("HelmRelease"), false);
});
