/**
 * Call-frequency limits of the core services (spec §10.5), in one shape.
 *
 * Every rate limit of a service is a `RateLimiter`: sliding windows of one `RateLimit` (from
 * `Limits`), kept per key (a session, a user, a session + channel ...). `take` counts one call and
 * throws the `CoreError` the binding turns into the acknowledgement's error when the key is over
 * its budget; nothing is counted for a call the limiter refuses. The windows live in the store's
 * `rateLimits` part, so on a fleet every node counts against the same budget.
 *
 * Services take the limit first, before they look at a request's items: a call refused later for
 * what it carries (an invalid ID in a list of hundreds) has cost the server that look, so it costs
 * the client a call. A client that checks its input first, as ours does, never notices.
 *
 * ```ts
 * readonly #getMembersRate = new RateLimiter(deps.rateLimits, 'getMembers', limits.getMembersRate);
 * ...
 * await this.#getMembersRate.take(session.sessionId, this.#d.clock.now(), 'GET_MEMBERS_ERR_TOO_OFTEN', 'getMembers');
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
import type { ErrorCodeName, RateLimit } from '@rtm-kit/protocol';
import { CoreError } from './errors.js';
import { andThen, type MaybePromise } from './maybe-async.js';

/**
 * Where the windows of every rate limit are kept: in this process (memory) or shared by a fleet
 * (Redis). `name` tells the limits apart (each has its own `RateLimit`); `key` is what is counted
 * within one (a session, a user). Each call is one atomic step: concurrent calls for one key never
 * overshoot the limit.
 */
export interface RateLimitStore {
  /**
   * Count one call at `now`; false, with nothing counted, when `limit.count` were made within
   * `limit.windowMs`. Every message passes here: a store that counts in this process may answer
   * at once instead of with a promise (the memory store does).
   */
  tryTake(name: string, key: string, limit: RateLimit, now: number): MaybePromise<boolean>;
  /**
   * Count `target` at `now`; false, with nothing counted, when `limit.count` other targets were
   * counted within `limit.windowMs`. A target counted within the window is free.
   */
  tryTakeDistinct(name: string, key: string, target: string, limit: RateLimit, now: number): Promise<boolean>;
}

export class RateLimiter {
  readonly limit: RateLimit;
  readonly #store: RateLimitStore;
  readonly #name: string;

  constructor(store: RateLimitStore, name: string, limit: RateLimit) {
    this.#store = store;
    this.#name = name;
    this.limit = limit;
  }

  /**
   * Count one call of `key` at `now`, or throw `CoreError(codeName, ...)` when `key` made
   * `limit.count` calls within the last `limit.windowMs` already (nothing is counted then). With
   * a store that answers at once it returns or throws at once; callers await it either way.
   */
  take(key: string, now: number, codeName: ErrorCodeName, what: string): MaybePromise<void> {
    // A store that answers at once is not waited for (callers await either way).
    return andThen(this.tryTake(key, now), (ok) => {
      if (!ok) throw new CoreError(codeName, rateLimitMessage(what, this.limit));
    });
  }

  /** Count one call of `key` at `now`; false, with nothing counted, when over budget. */
  tryTake(key: string, now: number): MaybePromise<boolean> {
    return this.#store.tryTake(this.#name, key, this.limit, now);
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
 * readonly #offlineReceivers = new DistinctRateLimiter(deps.rateLimits, 'offlineReceivers', limits.offlineReceiversRate);
 * await this.#offlineReceivers.take(sessionId, receiverUid, now, 'PEER_MESSAGE_ERR_TOO_OFTEN', 'Offline messages to new receivers');
 * ```
 */
export class DistinctRateLimiter {
  readonly limit: RateLimit;
  readonly #store: RateLimitStore;
  readonly #name: string;

  constructor(store: RateLimitStore, name: string, limit: RateLimit) {
    this.#store = store;
    this.#name = name;
    this.limit = limit;
  }

  /** Count `target` for `key` at `now`, or throw `CoreError(codeName, ...)` when over the limit. */
  async take(key: string, target: string, now: number, codeName: ErrorCodeName, what: string): Promise<void> {
    if (!(await this.tryTake(key, target, now))) throw new CoreError(codeName, rateLimitMessage(what, this.limit, 'different targets'));
  }

  /** Count `target` for `key` at `now`; false, with nothing counted, when over the limit. */
  tryTake(key: string, target: string, now: number): Promise<boolean> {
    return this.#store.tryTakeDistinct(this.#name, key, target, this.limit, now);
  }
}
