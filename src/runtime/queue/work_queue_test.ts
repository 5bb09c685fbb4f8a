import assert from "node:assert/strict";
import { test } from "node:test";
import { WorkQueue } from "./work_queue.ts";

test("a key is queued once however often it is added", async () => {
  const q = new WorkQueue();
  q.add("a");
  q.add("a");
  q.add("b");
  assert.equal(q.depth, 2);
  assert.equal(await q.get(), "a");
  assert.equal(await q.get(), "b");
});

test("a key added while processing is handed out again only after done", async () => {
  const q = new WorkQueue();
  q.add("a");
  const key = await q.get();
  q.add("a");
  assert.equal(q.depth, 0, "not queued while a worker holds it");
  q.done(key!);
  assert.equal(q.depth, 1);
  assert.equal(await q.get(), "a");
});

test("backoff doubles per failure up to the cap and resets on forget", () => {
  const q = new WorkQueue({ baseMs: 10, maxMs: 50 });
  assert.deepEqual([1, 2, 3, 4, 5].map(() => q.addRateLimited("k")), [10, 20, 40, 50, 50]);
  q.forget("k");
  assert.equal(q.addRateLimited("k"), 10);
  q.shutDown();
});

test("addAfter keeps the earliest pending delay", async () => {
  const q = new WorkQueue();
  q.addAfter("k", 10_000);
  q.addAfter("k", 20);
  const started = Date.now();
  assert.equal(await q.get(), "k");
  assert.ok(Date.now() - started < 5_000);
  q.shutDown();
});

test("shutDown releases waiting workers", async () => {
  const q = new WorkQueue();
  const waiting = q.get();
  q.shutDown();
  assert.equal(await waiting, undefined);
});

test("depth is reported also when a waiting worker takes the key at once", async () => {
  const depths: number[] = [];
  const q = new WorkQueue(undefined, { onDepth: (d) => depths.push(d) });
  const got = q.get();
  q.add("a");
  assert.equal(await got, "a");
  assert.deepEqual(depths, [0]);
});
