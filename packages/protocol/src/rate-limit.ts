import type { RateLimit } from './limits.js';

/**
 * A sliding-window call counter: `tryTake(now)` records a call and returns true while fewer than
 * `limit.count` calls happened in the last `limit.windowMs`. The client and the server both use
 * it, so the client's early check and the server's enforcement agree.
 */
export class SlidingWindow {
  readonly #limit: RateLimit;
  /**
   * The times of the calls in the window, oldest first, in a ring that grows to what the limit
   * can hold: counting a call allocates nothing (every message is counted here).
   */
  #stamps: Float64Array;
  #head = 0;
  #size = 0;

  constructor(limit: RateLimit) {
    this.#limit = limit;
    this.#stamps = new Float64Array(Math.max(1, Math.min(roomFor(limit), INITIAL_CAPACITY)));
  }

  tryTake(now: number): boolean {
    this.#evict(now);
    if (this.#size >= this.#limit.count) return false;
    if (this.#size === this.#stamps.length) this.#grow();
    this.#stamps[(this.#head + this.#size) % this.#stamps.length] = now;
    this.#size++;
    return true;
  }

  /** True when a call now would be allowed, without recording one. */
  wouldAllow(now: number): boolean {
    this.#evict(now);
    return this.#size < this.#limit.count;
  }

  /** True when no call is inside the window any more, so the counter carries no state. */
  isIdle(now: number): boolean {
    this.#evict(now);
    return this.#size === 0;
  }

  #evict(now: number): void {
    const cutoff = now - this.#limit.windowMs;
    const stamps = this.#stamps;
    while (this.#size > 0 && (stamps[this.#head] as number) <= cutoff) {
      this.#head = (this.#head + 1) % stamps.length;
      this.#size--;
    }
  }

  /** Twice the room (up to what the limit can hold), the calls kept in order. */
  #grow(): void {
    const old = this.#stamps;
    const grown = new Float64Array(Math.min(roomFor(this.#limit), old.length * 2));
    for (let i = 0; i < this.#size; i++) grown[i] = old[(this.#head + i) % old.length] as number;
    this.#stamps = grown;
    this.#head = 0;
  }
}

/** A window's first room for calls; most windows never see more at once. */
const INITIAL_CAPACITY = 8;

/** The most calls a window can hold: a limit of 10.5 lets an 11th call in (10 < 10.5). */
function roomFor(limit: RateLimit): number {
  return Math.ceil(limit.count);
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
