/**
 * Call-frequency limits of the core services (spec §10.5), in one shape.
 *
 * Every rate limit of a service is a `RateLimiter`: sliding windows of one `RateLimit` (from
 * `Limits`), kept per key (a session, a user, a session + channel ...). `take` counts one call and
 * throws the `CoreError` the binding turns into the acknowledgement's error when the key is over
 * its budget; nothing is counted for a call the limiter refuses.
 *
 * Services take the limit first, before they look at a request's items: a call refused later for
 * what it carries (an invalid ID in a list of hundreds) has cost the server that look, so it costs
 * the client a call. A client that checks its input first, as ours does, never notices.
 *
 * ```ts
 * readonly #getMembersRate = new RateLimiter(limits.getMembersRate);
 * ...
 * this.#getMembersRate.take(session.sessionId, this.#d.clock.now(), 'GET_MEMBERS_ERR_TOO_OFTEN', 'getMembers');
 * // over budget: throws CoreError('GET_MEMBERS_ERR_TOO_OFTEN',
 * //   'getMembers is limited to 5 calls per 2 s.')
 * ```
 *
 * `what` names the operation for the message; use `tryTake` when a refusal is not an error.
 * When a refusal needs clean-up first, catch, clean up and rethrow. Keys are opaque strings: make
 * them unambiguous (uids and channel IDs cannot contain "\n"; app IDs are exactly 32 characters).
 *
 * `DistinctRateLimiter` is the other shape: at most `count` distinct targets per key within the
 * window (the offline-message receivers of a session), where repeats of a counted target are free.
 */
import { KeyedSlidingWindows, type ErrorCodeName, type RateLimit } from '@rtm-kit/protocol';
import { CoreError } from './errors.js';

export class RateLimiter {
  readonly limit: RateLimit;
  readonly #windows: KeyedSlidingWindows;

  constructor(limit: RateLimit) {
    this.limit = limit;
    this.#windows = new KeyedSlidingWindows(limit);
  }

  /**
   * Count one call of `key` at `now`, or throw `CoreError(codeName, ...)` when `key` made
   * `limit.count` calls within the last `limit.windowMs` already (nothing is counted then).
   */
  take(key: string, now: number, codeName: ErrorCodeName, what: string): void {
    if (!this.#windows.tryTake(key, now)) throw new CoreError(codeName, rateLimitMessage(what, this.limit));
  }

  /** Count one call of `key` at `now`; false, with nothing counted, when over budget. */
  tryTake(key: string, now: number): boolean {
    return this.#windows.tryTake(key, now);
  }
}

/** The message of a refusal: "`what` is limited to N calls per S s." */
export function rateLimitMessage(what: string, limit: RateLimit, unit = 'calls'): string {
  return `${what} is limited to ${limit.count} ${limit.count === 1 ? unit.replace(/s$/, '') : unit} per ${limit.windowMs / 1000} s.`;
}

/**
 * At most `limit.count` distinct targets per key in any window of `limit.windowMs`: a target
 * counts from its first use in the window, and using it again within the window costs nothing.
 *
 * ```ts
 * readonly #offlineReceivers = new DistinctRateLimiter(limits.offlineReceiversRate);
 * this.#offlineReceivers.take(sessionId, receiverUid, now, 'PEER_MESSAGE_ERR_TOO_OFTEN', 'Offline messages to new receivers');
 * ```
 */
export class DistinctRateLimiter {
  readonly limit: RateLimit;
  /** key → target → when it was first used in the window; in that order (Map insertion order). */
  readonly #targets = new Map<string, Map<string, number>>();

  constructor(limit: RateLimit) {
    this.limit = limit;
  }

  /** Count `target` for `key` at `now`, or throw `CoreError(codeName, ...)` when over the limit. */
  take(key: string, target: string, now: number, codeName: ErrorCodeName, what: string): void {
    if (!this.tryTake(key, target, now)) throw new CoreError(codeName, rateLimitMessage(what, this.limit, 'different targets'));
  }

  /** Count `target` for `key` at `now`; false, with nothing counted, when over the limit. */
  tryTake(key: string, target: string, now: number): boolean {
    let targets = this.#targets.get(key);
    if (!targets) {
      // Bound the map: keys whose windows are empty carry no state and can go.
      if (this.#targets.size > 1024) this.#sweep(now);
      targets = new Map();
      this.#targets.set(key, targets);
    }
    evictBefore(targets, now - this.limit.windowMs);
    if (targets.has(target)) return true;
    if (targets.size >= this.limit.count) return false;
    targets.set(target, now);
    return true;
  }

  #sweep(now: number): void {
    for (const [key, targets] of this.#targets) {
      evictBefore(targets, now - this.limit.windowMs);
      if (targets.size === 0) this.#targets.delete(key);
    }
  }
}

function evictBefore(targets: Map<string, number>, cutoff: number): void {
  for (const [target, at] of targets) {
    if (at > cutoff) break;
    targets.delete(target);
  }
}
