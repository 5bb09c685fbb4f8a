import { setTimeout as sleep } from "node:timers/promises";

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Called on every round; throw from it to stop waiting (e.g. a process exited). */
  check?: () => void | Promise<void>;
  /** Shown in the timeout error: what was awaited. */
  what: string;
}

/**
 * Polls `probe` until it returns a value other than undefined/false. Errors from the probe count as
 * "not yet"; the last one is reported when the time is up.
 */
export async function waitUntil<T>(probe: () => Promise<T | undefined | false>, opts: WaitOptions): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let last = "";
  for (;;) {
    await opts.check?.();
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      last = "";
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${(opts.timeoutMs / 1000).toFixed(0)}s waiting for ${opts.what}${last ? ` (last error: ${last})` : ""}`);
    }
    await sleep(opts.intervalMs ?? 100);
  }
}
