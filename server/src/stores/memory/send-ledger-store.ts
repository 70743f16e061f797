import type { SendClaim, SendLedgerStore, SendOutcome } from '../../core/messaging/send-ledger-store.js';
import { appKey } from './keys.js';

/**
 * Recent message ids per sender, in this process. Answers at once, not with promises.
 *
 * Every message leaves an entry here for a minute, long enough to outlive the young generation
 * of the garbage collector, so an entry is one small integer rather than an object that the
 * collector copies and promotes: the 10 ms tick it expires at, counted from the first entry's
 * (rounded up, so an id is kept at least as long as asked and at most 10 ms longer), times four,
 * plus its state. V8 keeps small integers unboxed (below 2^31, or 2^30 with pointer compression),
 * which these are for one to two months after the first entry; later ones are ordinary numbers,
 * and as right.
 *
 * A sender's ids are in claim order, and settling updates an entry where it stands. Expiry
 * follows claim order within seconds (a peer message settles within its receiver's 5 s to
 * acknowledge, and holding it for later), so pruning from the front and stopping at the first
 * live entry may keep an expired id's memory a few seconds longer; a claim of it then counts it
 * as forgotten, as it should.
 */
export class MemorySendLedgerStore implements SendLedgerStore {
  readonly #senders = new Map<string, Map<string, number>>();
  #claims = 0;
  /** Entries count ticks from here (set by the first entry). */
  #base = Number.NaN;

  claim(appId: string, sender: string, id: string, now: number, keepUntil: number): SendClaim {
    // Now and then, forget senders that went quiet, so the map holds recent senders only.
    if (++this.#claims % SWEEP_EVERY_CLAIMS === 0) this.#sweep(now);
    const key = appKey(appId, sender);
    let ids = this.#senders.get(key);
    if (ids) {
      this.#prune(ids, now);
    } else {
      ids = new Map();
      this.#senders.set(key, ids);
    }
    const known = ids.get(id);
    if (known !== undefined) {
      if (!this.#expired(known, now)) return CLAIMS[((known % 4) + 4) % 4]!;
      // Past its time but not pruned yet (a live entry stands before it): forgotten now, and
      // claimed again at the end, where its new time belongs.
      ids.delete(id);
    }
    ids.set(id, this.#entry(keepUntil, PENDING));
    // A sender's ids are bounded by its message rate; this only guards against a runaway map.
    if (ids.size > MAX_IDS_PER_SENDER) {
      const oldest = ids.keys().next();
      if (!oldest.done) ids.delete(oldest.value);
    }
    return CLAIM_NEW;
  }

  settle(appId: string, sender: string, id: string, outcome: SendOutcome, keepUntil: number): void {
    const ids = this.#senders.get(appKey(appId, sender));
    if (ids?.has(id)) ids.set(id, this.#entry(keepUntil, outcome.delivered ? DELIVERED : NOT_DELIVERED));
  }

  release(appId: string, sender: string, id: string): void {
    const key = appKey(appId, sender);
    const ids = this.#senders.get(key);
    ids?.delete(id);
    if (ids?.size === 0) this.#senders.delete(key);
  }

  #entry(keepUntil: number, state: number): number {
    if (Number.isNaN(this.#base)) this.#base = keepUntil - BASE_SLACK_MS;
    return Math.ceil((keepUntil - this.#base) / TICK_MS) * 4 + state;
  }

  /** Whether an entry expired by `now`. */
  #expired(entry: number, now: number): boolean {
    return this.#base + Math.floor(entry / 4) * TICK_MS <= now;
  }

  #prune(ids: Map<string, number>, now: number): void {
    for (const [k, entry] of ids) {
      if (!this.#expired(entry, now)) break;
      ids.delete(k);
    }
  }

  #sweep(now: number): void {
    for (const [key, ids] of this.#senders) {
      this.#prune(ids, now);
      if (ids.size === 0) this.#senders.delete(key);
    }
  }
}

const PENDING = 0;
const DELIVERED = 1;
const NOT_DELIVERED = 2;
const CLAIM_NEW: SendClaim = Object.freeze({ state: 'new' });
/** What a known entry answers, by its state. */
const CLAIMS: readonly SendClaim[] = [
  Object.freeze({ state: 'pending' }),
  Object.freeze({ state: 'done', outcome: Object.freeze({ delivered: true }) }),
  Object.freeze({ state: 'done', outcome: Object.freeze({ delivered: false }) }),
];
const TICK_MS = 10;
/** The base lies this far before the first entry's expiry, so that a clock set back stays above it. */
const BASE_SLACK_MS = 24 * 60 * 60 * 1000;
const MAX_IDS_PER_SENDER = 20_000;
const SWEEP_EVERY_CLAIMS = 4_096;
