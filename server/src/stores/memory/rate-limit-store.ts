import { KeyedSlidingWindows, type RateLimit } from '@rtm-kit/protocol';
import type { RateLimitStore } from '../../core/rate-limits.js';

/** Above this many keys, a new key first sweeps the ones whose windows are empty. */
const SWEEP_ABOVE = 1024;

/** The windows of every rate limit, in this process. */
export class MemoryRateLimitStore implements RateLimitStore {
  /** Per limit name: the sliding windows of its keys. */
  readonly #windows = new Map<string, KeyedSlidingWindows>();
  /** Per limit name and key: target → when it was first used in the window, in that order. */
  readonly #targets = new Map<string, Map<string, Map<string, number>>>();

  tryTake(name: string, key: string, limit: RateLimit, now: number): boolean {
    let windows = this.#windows.get(name);
    if (!windows) {
      windows = new KeyedSlidingWindows(limit);
      this.#windows.set(name, windows);
    }
    return windows.tryTake(key, now);
  }

  async tryTakeDistinct(name: string, key: string, target: string, limit: RateLimit, now: number): Promise<boolean> {
    let byKey = this.#targets.get(name);
    if (!byKey) {
      byKey = new Map();
      this.#targets.set(name, byKey);
    }
    let targets = byKey.get(key);
    if (!targets) {
      // Bound the map: keys whose windows are empty carry no state and can go.
      if (byKey.size > SWEEP_ABOVE) sweep(byKey, now - limit.windowMs);
      targets = new Map();
      byKey.set(key, targets);
    }
    evictBefore(targets, now - limit.windowMs);
    if (targets.has(target)) return true;
    if (targets.size >= limit.count) return false;
    targets.set(target, now);
    return true;
  }
}

function sweep(byKey: Map<string, Map<string, number>>, cutoff: number): void {
  for (const [key, targets] of byKey) {
    evictBefore(targets, cutoff);
    if (targets.size === 0) byKey.delete(key);
  }
}

function evictBefore(targets: Map<string, number>, cutoff: number): void {
  for (const [target, at] of targets) {
    if (at > cutoff) break;
    targets.delete(target);
  }
}
