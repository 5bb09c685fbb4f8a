import assert from "node:assert/strict";
import { test } from "node:test";
import { RateLimiter } from "./rate_limiter.ts";

async function timeOf(limiter: RateLimiter, n: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < n; i++) (await limiter.acquire())();
  return performance.now() - started;
}

test("the bucket allows a burst, then the sustained rate", async () => {
  const limiter = new RateLimiter(20, 5, 10);
  assert.ok((await timeOf(limiter, 5)) < 30, "the burst is immediate");
  const ms = await timeOf(limiter, 4);
  assert.ok(ms >= 150 && ms < 400, `4 more at 20/s take about 200 ms (${ms.toFixed(0)})`);
});

test("disableRate drops the bucket, waiting callers included", async () => {
  const limiter = new RateLimiter(1, 1, 10);
  (await limiter.acquire())();
  const waiting = limiter.acquire();
  limiter.disableRate();
  const started = performance.now();
  (await waiting)();
  assert.ok((await timeOf(limiter, 50)) < 50, "no rate once disabled");
  assert.ok(performance.now() - started < 100);
});

test("the in-flight cap holds without a rate, and a pause stops everyone", async () => {
  const limiter = new RateLimiter(0, 1, 2);
  const a = await limiter.acquire();
  const b = await limiter.acquire();
  let third = false;
  const c = limiter.acquire().then((release) => {
    third = true;
    return release;
  });
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(third, false, "two in flight at most");
  a();
  (await c)();
  b();
  limiter.pause(150);
  const ms = await timeOf(limiter, 1);
  assert.ok(ms >= 140, `paused for the Retry-After (${ms.toFixed(0)} ms)`);
});
