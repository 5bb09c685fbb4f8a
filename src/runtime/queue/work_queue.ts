/** Hooks for queue metrics. */
export interface QueueObserver {
  onAdd?(): void;
  onRetry?(): void;
  onDepth?(depth: number): void;
  /** Seconds a key waited between being queued and being picked up. */
  onLatency?(seconds: number): void;
}

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/**
 * A keyed work queue: a key is queued at most once, handed to one worker at a time (a key added
 * while it is being processed is queued again when the worker is done), with delayed adds and
 * per-key exponential backoff.
 */
export class WorkQueue {
  readonly #queue: string[] = [];
  readonly #queued = new Set<string>();
  readonly #processing = new Set<string>();
  readonly #dirty = new Set<string>();
  readonly #enqueuedAt = new Map<string, number>();
  readonly #timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  readonly #failures = new Map<string, number>();
  readonly #waiters: Array<(key: string | undefined) => void> = [];
  readonly #backoff: BackoffOptions;
  readonly #observer: QueueObserver;
  #shuttingDown = false;

  constructor(backoff: BackoffOptions = { baseMs: 500, maxMs: 300_000 }, observer: QueueObserver = {}) {
    this.#backoff = backoff;
    this.#observer = observer;
  }

  add(key: string): void {
    if (this.#shuttingDown) return;
    this.#observer.onAdd?.();
    if (this.#processing.has(key)) {
      this.#dirty.add(key);
      return;
    }
    if (this.#queued.has(key)) return;
    const waiter = this.#waiters.shift();
    if (waiter) {
      this.#processing.add(key);
      this.#observer.onLatency?.(0);
      this.#observer.onDepth?.(this.#queue.length);
      waiter(key);
      return;
    }
    this.#queued.add(key);
    this.#queue.push(key);
    this.#enqueuedAt.set(key, performance.now());
    this.#observer.onDepth?.(this.#queue.length);
  }

  /** Adds the key after a delay; an earlier pending delay for the same key wins. */
  addAfter(key: string, ms: number): void {
    if (this.#shuttingDown) return;
    if (ms <= 0) return this.add(key);
    const at = Date.now() + ms;
    const pending = this.#timers.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.#timers.delete(key);
      this.add(key);
    }, ms);
    timer.unref();
    this.#timers.set(key, { at, timer });
  }

  /** Adds the key after its next backoff delay; returns that delay. */
  addRateLimited(key: string): number {
    const failures = this.#failures.get(key) ?? 0;
    this.#failures.set(key, failures + 1);
    const delay = Math.min(this.#backoff.baseMs * 2 ** failures, this.#backoff.maxMs);
    this.#observer.onRetry?.();
    this.addAfter(key, delay);
    return delay;
  }

  /** Clears the key's failure count (after a success). */
  forget(key: string): void {
    this.#failures.delete(key);
  }

  failures(key: string): number {
    return this.#failures.get(key) ?? 0;
  }

  /** The next key to work on; undefined once the queue shuts down. */
  get(): Promise<string | undefined> {
    if (this.#shuttingDown) return Promise.resolve(undefined);
    if (this.#queue.length > 0) {
      const key = this.#queue.shift()!;
      this.#queued.delete(key);
      this.#processing.add(key);
      const at = this.#enqueuedAt.get(key);
      this.#enqueuedAt.delete(key);
      if (at !== undefined) this.#observer.onLatency?.((performance.now() - at) / 1000);
      this.#observer.onDepth?.(this.#queue.length);
      return Promise.resolve(key);
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Marks the key as processed; a key added meanwhile is queued again. */
  done(key: string): void {
    this.#processing.delete(key);
    if (this.#dirty.delete(key)) this.add(key);
  }

  get depth(): number {
    return this.#queue.length;
  }

  get busy(): number {
    return this.#processing.size;
  }

  /** Stops handing out keys; pending delays are dropped. */
  shutDown(): void {
    this.#shuttingDown = true;
    for (const { timer } of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    for (const w of this.#waiters.splice(0)) w(undefined);
  }
}
