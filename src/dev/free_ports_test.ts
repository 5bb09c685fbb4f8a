import assert from "node:assert/strict";
import { createServer } from "node:net";
import { test } from "node:test";
import { allocatePorts, isPortFree } from "./free_ports.ts";

test("allocatePorts gives distinct free ports, one per name", async () => {
  const ports = await allocatePorts(["a", "b", "c", "d"]);
  const values = Object.values(ports);
  assert.equal(new Set(values).size, 4);
  for (const p of values) {
    assert.ok(p > 0 && p < 65536);
    assert.ok(await isPortFree(p), `port ${p} is free again after allocation`);
  }
});

test("allocatePorts keeps a preferred port when it is free and replaces it when taken", async () => {
  const [free] = Object.values(await allocatePorts(["x"]));
  const busy = createServer();
  await new Promise<void>((r) => busy.listen(0, "127.0.0.1", r));
  const busyPort = (busy.address() as { port: number }).port;
  try {
    assert.equal(await isPortFree(busyPort), false);
    const ports = await allocatePorts(["keep", "move"], { keep: free, move: busyPort });
    assert.equal(ports.keep, free);
    assert.notEqual(ports.move, busyPort);
  } finally {
    busy.close();
  }
});

test("allocatePorts does not hand the same preferred port to two names", async () => {
  const [p] = Object.values(await allocatePorts(["x"]));
  const ports = await allocatePorts(["a", "b"], { a: p, b: p });
  assert.equal(ports.a, p);
  assert.notEqual(ports.b, p);
});
