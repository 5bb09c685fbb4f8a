import { mkdir, open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DevError } from "./dev_error.ts";
import { isAlive } from "./processes.ts";

/**
 * Runs `fn` holding `<stateDir>/lock` (created exclusively, holding our pid), so that two `dev up`s on
 * one state dir (two shells, two test runs reusing the dev cluster) do not both start it: the second
 * waits, then finds it up. A lock left by a dead process is taken over.
 */
export async function withStateLock<T>(stateDir: string, fn: () => Promise<T>, timeoutMs = 300_000): Promise<T> {
  await mkdir(stateDir, { recursive: true });
  const lock = join(stateDir, "lock");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fh = await open(lock, "wx");
      await fh.writeFile(String(process.pid));
      await fh.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const holder = Number((await readFile(lock, "utf8").catch(() => "")).trim());
      if (holder === process.pid) break;
      if (!holder || !isAlive(holder)) {
        // Dead holder (or one that has not written its pid yet: give it a moment first).
        if (!holder) await sleep(100);
        const again = Number((await readFile(lock, "utf8").catch(() => "")).trim());
        if (!again || !isAlive(again)) await rm(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new DevError(`another sluice process (pid ${holder}) holds ${lock}: wait for it, or remove the file if that process is not sluice`);
      }
      await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { force: true });
  }
}
