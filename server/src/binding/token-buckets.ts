import type { RateLimit } from '@rtm-kit/protocol';

/**
 * A token bucket: a burst of up to `count` calls, refilled at `count` per `windowMs`. Two numbers
 * of state whatever the limit, unlike a sliding window that keeps a time per call: the abuse
 * limits are kept per address, for any number of addresses.
 */
export class TokenBucket {
  readonly #limit: RateLimit;
  #tokens: number;
  #at: number;

  constructor(limit: RateLimit, now: number) {
    this.#limit = limit;
    this.#tokens = limit.count;
    this.#at = now;
  }

  /** Take one token; false, with nothing taken, when the bucket is empty. */
  tryTake(now: number): boolean {
    if (this.#limit.count === Infinity) return true;
    this.#refill(now);
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** True when the bucket has refilled completely, so it carries no state. */
  isFull(now: number): boolean {
    if (this.#limit.count === Infinity) return true;
    this.#refill(now);
    return this.#tokens >= this.#limit.count;
  }

  #refill(now: number): void {
    const { count, windowMs } = this.#limit;
    const elapsed = Math.max(0, now - this.#at);
    this.#at = now;
    this.#tokens = windowMs > 0 ? Math.min(count, this.#tokens + (elapsed * count) / windowMs) : count;
  }
}

/**
 * Token buckets keyed by a string (an address, a user), created on demand and dropped once full.
 * Not a TTL cache: a bucket may go exactly when it has refilled (then it holds nothing a new one
 * would not), which no fixed lifetime expresses without resetting a limit early.
 */
export class KeyedTokenBuckets {
  readonly #limit: RateLimit;
  readonly #buckets = new Map<string, TokenBucket>();
  #sweepAbove = MIN_SWEEP_SIZE;

  constructor(limit: RateLimit) {
    this.#limit = limit;
  }

  tryTake(key: string, now: number): boolean {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      if (this.#buckets.size >= this.#sweepAbove) this.#sweep(now);
      bucket = new TokenBucket(this.#limit, now);
      this.#buckets.set(key, bucket);
    }
    return bucket.tryTake(now);
  }

  /** Keys with state (tests, monitoring). */
  get size(): number {
    return this.#buckets.size;
  }

  /**
   * Drop full buckets: they hold nothing a new bucket would not. The next sweep waits until the
   * map has doubled, so sweeping costs O(1) per key however many keys stay busy.
   */
  #sweep(now: number): void {
    for (const [key, bucket] of this.#buckets) if (bucket.isFull(now)) this.#buckets.delete(key);
    this.#sweepAbove = Math.max(MIN_SWEEP_SIZE, 2 * this.#buckets.size);
  }
}

const MIN_SWEEP_SIZE = 1024;
