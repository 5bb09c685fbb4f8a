import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../api/meta.ts";
import { kindByName } from "./cli_kinds.ts";
import { formatStorage, reconcilerStats } from "./reconciler_stats.ts";

function obj(opts: { suspend?: boolean; ready?: "True" | "False" | "Unknown"; size?: number }): KubeObject {
  return {
    apiVersion: "x/v1",
    kind: "X",
    metadata: { name: "o", namespace: "n" },
    spec: opts.suspend === undefined ? {} : { suspend: opts.suspend },
    status: {
      ...(opts.ready ? { conditions: [{ type: "Ready", status: opts.ready, reason: "R", message: "m", lastTransitionTime: "t" }] } : {}),
      ...(opts.size !== undefined ? { artifact: { size: opts.size } } : {}),
    },
  };
}

test("running is every object not suspended, failing is Ready=False, storage sums artifact sizes of sources", () => {
  const items = [obj({ ready: "True", size: 1000 }), obj({ ready: "False", size: 24 }), obj({ suspend: true, ready: "False" }), obj({ ready: "Unknown" }), obj({})];
  assert.deepEqual(reconcilerStats(kindByName("GitRepository")!, items), { running: 4, failing: 2, suspended: 1, storageBytes: 1024 });
  assert.deepEqual(reconcilerStats(kindByName("Kustomization")!, items), { running: 4, failing: 2, suspended: 1, storageBytes: undefined });
  assert.deepEqual(reconcilerStats(kindByName("Bucket")!, []), { running: 0, failing: 0, suspended: 0, storageBytes: 0 });
});

test("storage is printed like flux: - for none, bytes, then one decimal of KiB, MiB, GiB", () => {
  assert.equal(formatStorage(undefined), "-");
  assert.equal(formatStorage(0), "-");
  assert.equal(formatStorage(512), "512 B");
  assert.equal(formatStorage(1024), "1.0 KiB");
  assert.equal(formatStorage(1536), "1.5 KiB");
  assert.equal(formatStorage(5 * 1024 * 1024 + 1), "5.0 MiB");
  assert.equal(formatStorage(3 * 1024 ** 3), "3.0 GiB");
});
