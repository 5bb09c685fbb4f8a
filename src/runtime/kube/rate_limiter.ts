/**
 * Client-side throttling: a token bucket (qps, burst) and a cap on requests in flight.
 * A 429 from the server pauses every caller until its Retry-After has passed.
 */
export class RateLimiter {
  readonly #qps: number;
  readonly #burst: number;
  readonly #maxInFlight: number;
  #tokens: number;
  #refilledAt = performance.now();
  #inFlight = 0;
  #pausedUntil = 0;
  #unlimited = false;
  readonly #waiting: Array<() => void> = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(qps: number, burst: number, maxInFlight: number) {
    this.#qps = qps;
    this.#burst = Math.max(1, burst);
    this.#maxInFlight = Math.max(1, maxInFlight);
    this.#tokens = this.#burst;
  }

  /** Resolves when a request may start; call the returned function when it ends. */
  async acquire(): Promise<() => void> {
    await new Promise<void>((resolve) => {
      this.#waiting.push(resolve);
      this.#pump();
    });
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight--;
      this.#pump();
    };
  }

  /** The server asked us to back off (429 with Retry-After). */
  pause(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, performance.now() + ms);
  }

  /** Drops the token bucket (the server's fairness limits govern); the in-flight cap and 429 pauses stay. */
  disableRate(): void {
    this.#unlimited = true;
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    this.#pump();
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  #refill(now: number): void {
    if (this.#qps <= 0 || this.#unlimited) {
      this.#tokens = this.#burst;
      return;
    }
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#refilledAt) / 1000) * this.#qps);
    this.#refilledAt = now;
  }

  #pump(): void {
    if (this.#timer) return;
    while (this.#waiting.length > 0 && this.#inFlight < this.#maxInFlight) {
      const now = performance.now();
      if (now < this.#pausedUntil) return this.#wake(this.#pausedUntil - now);
      this.#refill(now);
      if (this.#tokens < 1) return this.#wake(((1 - this.#tokens) / this.#qps) * 1000);
      this.#tokens--;
      this.#inFlight++;
      this.#waiting.shift()!();
    }
  }

  #wake(ms: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#pump();
    }, Math.max(1, Math.ceil(ms)));
  }
}
