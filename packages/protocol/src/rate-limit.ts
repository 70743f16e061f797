import type { RateLimit } from './limits.js';

/**
 * A sliding-window call counter: `tryTake(now)` records a call and returns true while fewer than
 * `limit.count` calls happened in the last `limit.windowMs`. The client and the server both use
 * it, so the client's early check and the server's enforcement agree.
 */
export class SlidingWindow {
  readonly #limit: RateLimit;
  /**
   * The times of the calls, oldest first, from `#head` on: a plain array of numbers, which V8
   * keeps unboxed, so counting a call allocates nothing once the array has grown (every message
   * is counted here), and a window that was never used holds no storage (every session has
   * several). Calls that left the window are skipped over, and compacted away in place; once all
   * have left, the array is let go.
   */
  #stamps: number[] = [];
  #head = 0;

  constructor(limit: RateLimit) {
    this.#limit = limit;
  }

  tryTake(now: number): boolean {
    this.#evict(now);
    if (this.#stamps.length - this.#head >= this.#limit.count) return false;
    // A window's first call gets an array of one: most windows (a session's joins, subscriptions)
    // see a call or two, and an array grown by a push has room for 17.
    if (this.#stamps.length === 0) this.#stamps = [now];
    else this.#stamps.push(now);
    return true;
  }

  /** True when a call now would be allowed, without recording one. */
  wouldAllow(now: number): boolean {
    this.#evict(now);
    return this.#stamps.length - this.#head < this.#limit.count;
  }

  /** True when no call is inside the window any more, so the counter carries no state. */
  isIdle(now: number): boolean {
    this.#evict(now);
    return this.#stamps.length === this.#head;
  }

  #evict(now: number): void {
    const cutoff = now - this.#limit.windowMs;
    const stamps = this.#stamps;
    let head = this.#head;
    while (head < stamps.length && (stamps[head] as number) <= cutoff) head++;
    if (head === stamps.length) {
      if (head > 0) this.#stamps = [];
      head = 0;
    } else if (head >= COMPACT_AT && head * 2 >= stamps.length) {
      // Move the live calls to the front, in place: amortised, each call is moved at most once
      // for every call that left before it.
      stamps.copyWithin(0, head);
      stamps.length -= head;
      head = 0;
    }
    this.#head = head;
  }
}

/** Calls that left the window are compacted away once there are this many, and half the array. */
const COMPACT_AT = 32;

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
