import type { SendClaim, SendLedgerStore, SendOutcome } from '../../core/messaging/send-ledger-store.js';
import { appKey } from './keys.js';

interface Entry {
  outcome: SendOutcome | null;
  until: number;
}

/**
 * Recent message ids per sender, in this process. Entries live equally long, so each sender's
 * map is in expiry order and is pruned from its front. Answers at once, not with promises.
 */
export class MemorySendLedgerStore implements SendLedgerStore {
  readonly #senders = new Map<string, Map<string, Entry>>();
  #claims = 0;

  claim(appId: string, sender: string, id: string, now: number, keepUntil: number): SendClaim {
    // Now and then, forget senders that went quiet, so the map holds recent senders only.
    if (++this.#claims % SWEEP_EVERY_CLAIMS === 0) this.#sweep(now);
    const key = appKey(appId, sender);
    let ids = this.#senders.get(key);
    if (ids) {
      prune(ids, now);
    } else {
      ids = new Map();
      this.#senders.set(key, ids);
    }
    const known = ids.get(id);
    if (known) return known.outcome === null ? { state: 'pending' } : { state: 'done', outcome: known.outcome };
    ids.set(id, { outcome: null, until: keepUntil });
    // A sender's ids are bounded by its message rate; this only guards against a runaway map.
    if (ids.size > MAX_IDS_PER_SENDER) {
      const oldest = ids.keys().next();
      if (!oldest.done) ids.delete(oldest.value);
    }
    return { state: 'new' };
  }

  settle(appId: string, sender: string, id: string, outcome: SendOutcome, keepUntil: number): void {
    const ids = this.#senders.get(appKey(appId, sender));
    const entry = ids?.get(id);
    if (!ids || !entry) return;
    // Re-insert so the map stays in expiry order.
    ids.delete(id);
    ids.set(id, { outcome, until: keepUntil });
  }

  release(appId: string, sender: string, id: string): void {
    const key = appKey(appId, sender);
    const ids = this.#senders.get(key);
    ids?.delete(id);
    if (ids?.size === 0) this.#senders.delete(key);
  }

  #sweep(now: number): void {
    for (const [key, ids] of this.#senders) {
      prune(ids, now);
      if (ids.size === 0) this.#senders.delete(key);
    }
  }
}

function prune(ids: Map<string, Entry>, now: number): void {
  for (const [k, e] of ids) {
    if (e.until > now) break;
    ids.delete(k);
  }
}

const MAX_IDS_PER_SENDER = 20_000;
const SWEEP_EVERY_CLAIMS = 4_096;
