import type { HeldPeerMessage, PeerStore } from '../../core/peer/peer-store.js';

interface Mailbox {
  /** Oldest first. */
  messages: HeldPeerMessage[];
  /** When the last of its messages expires: the mailbox can go then. */
  expiresAt: number;
}

/**
 * Mailboxes of held peer messages, in this process (lost on restart: see `MemoryStore`).
 *
 * Mailboxes are kept in the order of their last `hold` (Map insertion order, refreshed on every
 * hold). Every message lives `offlineMessageTtlMs` from its arrival, so that is also about the
 * order in which whole mailboxes expire: each `hold` removes expired mailboxes from the front and
 * stops at the first one still alive, at a cost of one step per mailbox removed. A mailbox goes
 * only once its last message expired; one that expires out of order (an unacknowledged live
 * message is held seconds after it arrived) goes a little later.
 */
export class MemoryPeerStore implements PeerStore {
  readonly #boxes = new Map<string, Mailbox>();

  async hold(appId: string, receiver: string, message: HeldPeerMessage, maxPerReceiver: number, now: number): Promise<number> {
    this.#expire(now);
    const key = appId + receiver;
    const box = this.#boxes.get(key);
    const messages = box ? box.messages.filter((m) => m.expiresAt > now) : [];
    messages.push(message);
    const evicted = Math.max(0, messages.length - maxPerReceiver);
    if (evicted > 0) messages.splice(0, evicted);
    this.#boxes.delete(key);
    if (messages.length > 0) this.#boxes.set(key, { messages, expiresAt: Math.max(box?.expiresAt ?? -Infinity, message.expiresAt) });
    return evicted;
  }

  async deliverable(appId: string, receiver: string, sessionId: string, now: number, max: number): Promise<HeldPeerMessage[]> {
    const key = appId + receiver;
    const box = this.#boxes.get(key);
    if (!box) return [];
    const kept = box.messages.filter((m) => m.expiresAt > now && (m.sessionId === null || m.sessionId === sessionId));
    this.#set(key, box, kept);
    return kept.slice(0, max);
  }

  async remove(appId: string, receiver: string, ids: readonly string[]): Promise<number> {
    const key = appId + receiver;
    const box = this.#boxes.get(key);
    if (!box) return 0;
    const gone = new Set(ids);
    const kept = box.messages.filter((m) => !gone.has(m.id));
    const removed = box.messages.length - kept.length;
    this.#set(key, box, kept);
    return removed;
  }

  async dropForSession(appId: string, receiver: string, sessionId: string): Promise<void> {
    const key = appId + receiver;
    const box = this.#boxes.get(key);
    if (box) this.#set(key, box, box.messages.filter((m) => m.sessionId !== sessionId));
  }

  /** Remove the mailboxes whose every message has expired at `now`, oldest first. */
  #expire(now: number): void {
    for (const [key, box] of this.#boxes) {
      if (box.expiresAt > now) break;
      this.#boxes.delete(key);
    }
  }

  /** Keep what is left of a mailbox in its place (its expiry can only have come earlier). */
  #set(key: string, box: Mailbox, messages: HeldPeerMessage[]): void {
    if (messages.length === 0) this.#boxes.delete(key);
    else box.messages = messages;
  }
}
