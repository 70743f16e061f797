import type { RateLimit } from './limits.js';

/**
 * A sliding-window call counter: `tryTake(now)` records a call and returns true while fewer than
 * `limit.count` calls happened in the last `limit.windowMs`. The client and the server both use
 * it, so the client's early check and the server's enforcement agree.
 */
export class SlidingWindow {
  readonly #limit: RateLimit;
  readonly #stamps: number[] = [];

  constructor(limit: RateLimit) {
    this.#limit = limit;
  }

  tryTake(now: number): boolean {
    this.#evict(now);
    if (this.#stamps.length >= this.#limit.count) return false;
    this.#stamps.push(now);
    return true;
  }

  /** True when a call now would be allowed, without recording one. */
  wouldAllow(now: number): boolean {
    this.#evict(now);
    return this.#stamps.length < this.#limit.count;
  }

  /** True when no call is inside the window any more, so the counter carries no state. */
  isIdle(now: number): boolean {
    this.#evict(now);
    return this.#stamps.length === 0;
  }

  #evict(now: number): void {
    const cutoff = now - this.#limit.windowMs;
    let drop = 0;
    while (drop < this.#stamps.length && (this.#stamps[drop] as number) <= cutoff) drop++;
    if (drop > 0) this.#stamps.splice(0, drop);
  }
}

/** Sliding windows keyed by a string (per channel, per operation ...), created on demand. */
export class KeyedSlidingWindows {
  readonly #limit: RateLimit;
  readonly #windows = new Map<string, SlidingWindow>();

  constructor(limit: RateLimit) {
    this.#limit = limit;
  }

  tryTake(key: string, now: number): boolean {
    let w = this.#windows.get(key);
    if (!w) {
      // Bound the map: keys whose windows are empty carry no state and can go.
      if (this.#windows.size > 1024) this.#sweep(now);
      w = new SlidingWindow(this.#limit);
      this.#windows.set(key, w);
    }
    return w.tryTake(now);
  }

  #sweep(now: number): void {
    for (const [key, w] of this.#windows) if (w.isIdle(now)) this.#windows.delete(key);
  }
}
