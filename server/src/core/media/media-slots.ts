/**
 * Media transfer slots: each user may have at most `mediaConcurrentTransfers` uploads and
 * downloads in flight. A slot is held by a named holder (an upload's ID, or an ID a download
 * makes for itself), so giving it back is idempotent: an upload that two nodes both abandon, or
 * that completes while its user's session ends, frees its slot once.
 *
 * A part of the `Store` (`store.mediaSlots`), not of the `MediaStorage`: slots count a user's
 * transfers wherever the user's requests land, which is the store's reach (one process, or every
 * node of a fleet), whatever keeps the bytes (a node's directory, a shared one, Redis, S3). The
 * rate limits sit in the store for the same reason.
 *
 * Times are passed in, as in every store.
 */
export interface MediaSlotStore {
  /**
   * Take one of the user's slots for `holder` if fewer than `max` are held; false when all are.
   * Taking again for a holder that already holds a slot keeps it (a shared store renews its
   * lease) and is true.
   */
  take(appId: string, uid: string, holder: string, max: number, now: number): Promise<boolean>;
  /** Give back the slot `holder` holds; false when it holds none (given back already). */
  give(appId: string, uid: string, holder: string): Promise<boolean>;
  /**
   * For a store whose slots lapse (so that a dead node's come back): keep `holder`'s slot for
   * another lease from `now`. No effect on a slot not held. The media service renews an upload's
   * slot with each chunk.
   */
  renew?(appId: string, uid: string, holder: string, now: number): Promise<void>;
}

/**
 * Slots in this process: every transfer of a user runs through this one server. The default of
 * the memory store, and of the media service when its store keeps no slots.
 */
export class MemoryMediaSlotStore implements MediaSlotStore {
  /** The holders of each user's slots (`appId` + `:` + uid); users with none have no entry. */
  readonly #held = new Map<string, Set<string>>();

  async take(appId: string, uid: string, holder: string, max: number): Promise<boolean> {
    const key = `${appId}:${uid}`;
    const holders = this.#held.get(key) ?? new Set<string>();
    if (holders.has(holder)) return true;
    if (holders.size >= max) return false;
    holders.add(holder);
    this.#held.set(key, holders);
    return true;
  }

  async give(appId: string, uid: string, holder: string): Promise<boolean> {
    const key = `${appId}:${uid}`;
    const holders = this.#held.get(key);
    if (!holders?.delete(holder)) return false;
    if (holders.size === 0) this.#held.delete(key);
    return true;
  }

  /** Users holding slots, for tests: zero once every transfer has ended. */
  entryCount(): number {
    return this.#held.size;
  }
}
