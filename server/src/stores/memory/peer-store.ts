import {
  heldMessageBytes,
  type HeldPeerMessage,
  type OfflineHoldCaps,
  type OfflineHoldResult,
  type PeerStore,
} from '../../core/peer/peer-store.js';
import { appKey } from './keys.js';

interface Mailbox {
  readonly appId: string;
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
 *
 * The bytes of offline messages are tallied per sender and per app as they come and go (every
 * path that drops a message goes through `#drop`), so the quotas of `holdOffline` cost a lookup.
 */
export class MemoryPeerStore implements PeerStore {
  readonly #boxes = new Map<string, Mailbox>();
  /** Offline bytes held per sender (app ID + uid) and per app ID. */
  readonly #senderBytes = new Map<string, number>();
  readonly #appBytes = new Map<string, number>();

  async hold(appId: string, receiver: string, message: HeldPeerMessage, maxPerReceiver: number, now: number): Promise<number> {
    const result = this.#put(appId, receiver, message, maxPerReceiver, now, null);
    return result.ok ? result.evicted : 0;
  }

  async holdOffline(appId: string, receiver: string, message: HeldPeerMessage, caps: OfflineHoldCaps, now: number): Promise<OfflineHoldResult> {
    return this.#put(appId, receiver, message, caps.maxPerReceiver, now, caps);
  }

  async deliverable(appId: string, receiver: string, sessionId: string, now: number, max: number): Promise<HeldPeerMessage[]> {
    const key = appKey(appId, receiver);
    const box = this.#boxes.get(key);
    if (!box) return [];
    const kept = box.messages.filter((m) => m.expiresAt > now && (m.sessionId === null || m.sessionId === sessionId));
    this.#set(key, box, kept);
    return kept.slice(0, max);
  }

  holdsNow(appId: string, receiver: string, sessionId: string, now: number): boolean {
    const box = this.#boxes.get(appKey(appId, receiver));
    return box !== undefined && box.messages.some((m) => m.expiresAt > now && (m.sessionId === null || m.sessionId === sessionId));
  }

  async remove(appId: string, receiver: string, ids: readonly string[]): Promise<number> {
    const key = appKey(appId, receiver);
    const box = this.#boxes.get(key);
    if (!box) return 0;
    const gone = new Set(ids);
    const kept = box.messages.filter((m) => !gone.has(m.id));
    const removed = box.messages.length - kept.length;
    this.#set(key, box, kept);
    return removed;
  }

  async dropForSession(appId: string, receiver: string, sessionId: string): Promise<void> {
    const key = appKey(appId, receiver);
    const box = this.#boxes.get(key);
    if (box) this.#set(key, box, box.messages.filter((m) => m.sessionId !== sessionId));
  }

  #put(appId: string, receiver: string, message: HeldPeerMessage, maxPerReceiver: number, now: number, caps: OfflineHoldCaps | null): OfflineHoldResult {
    this.#expire(now);
    const key = appKey(appId, receiver);
    const box = this.#boxes.get(key);
    const live = box ? box.messages.filter((m) => m.expiresAt > now) : [];
    if (box) this.#set(key, box, live);
    const evictedCount = Math.max(0, live.length + 1 - maxPerReceiver);
    const evicted = live.slice(0, evictedCount);
    if (caps && message.offline) {
      const size = heldMessageBytes(message);
      let freedSender = 0;
      let freedApp = 0;
      for (const m of evicted) {
        if (!m.offline) continue;
        const bytes = heldMessageBytes(m);
        freedApp += bytes;
        if (m.from === message.from) freedSender += bytes;
      }
      if ((this.#senderBytes.get(appKey(appId, message.from)) ?? 0) - freedSender + size > caps.maxSenderBytes) return { ok: false, over: 'sender' };
      if ((this.#appBytes.get(appId) ?? 0) - freedApp + size > caps.maxAppBytes) return { ok: false, over: 'app' };
    }
    for (const m of evicted) this.#drop(appId, m);
    const messages = [...live.slice(evictedCount), message];
    if (message.offline) this.#count(appId, message, 1);
    this.#boxes.delete(key);
    this.#boxes.set(key, { appId, messages, expiresAt: Math.max(box?.expiresAt ?? -Infinity, message.expiresAt) });
    return { ok: true, evicted: evictedCount };
  }

  /** Remove the mailboxes whose every message has expired at `now`, oldest first. */
  #expire(now: number): void {
    for (const [key, box] of this.#boxes) {
      if (box.expiresAt > now) break;
      this.#boxes.delete(key);
      for (const m of box.messages) this.#drop(box.appId, m);
    }
  }

  /** Keep what is left of a mailbox in its place (its expiry can only have come earlier). */
  #set(key: string, box: Mailbox, messages: HeldPeerMessage[]): void {
    if (messages.length !== box.messages.length) {
      const kept = new Set(messages);
      for (const m of box.messages) if (!kept.has(m)) this.#drop(box.appId, m);
    }
    if (messages.length === 0) this.#boxes.delete(key);
    else box.messages = messages;
  }

  /** A message leaves the store: its offline bytes come back to its sender and app. */
  #drop(appId: string, message: HeldPeerMessage): void {
    if (message.offline) this.#count(appId, message, -1);
  }

  #count(appId: string, message: HeldPeerMessage, sign: 1 | -1): void {
    const bytes = sign * heldMessageBytes(message);
    add(this.#senderBytes, appKey(appId, message.from), bytes);
    add(this.#appBytes, appId, bytes);
  }
}

/** Adds to a tally, dropping entries that reach zero so the maps hold only what is stored. */
function add(tally: Map<string, number>, key: string, bytes: number): void {
  const next = (tally.get(key) ?? 0) + bytes;
  if (next > 0) tally.set(key, next);
  else tally.delete(key);
}
