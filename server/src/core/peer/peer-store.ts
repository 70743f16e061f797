import { wireMessageSize, type WireMessage } from '@rtm-kit/protocol';

/**
 * A peer message the server holds for its receiver: an offline message (1.4.x
 * `enableOfflineMessaging`), or a message that arrived while the receiver's connection was gone
 * and that waits for that session to come back.
 */
export interface HeldPeerMessage {
  /** Server-made; the receiver acknowledges by it. */
  readonly id: string;
  readonly from: string;
  readonly message: WireMessage;
  readonly serverReceivedTs: number;
  /** True for offline messages: any later session of the receiver gets them. */
  readonly offline: boolean;
  /**
   * For messages that are not offline messages: the receiver session they wait for. They are
   * never delivered to another session and go when that session ends.
   */
  readonly sessionId: string | null;
  /** Not delivered after this time (offline messages: `offlineMessageTtlMs`). */
  readonly expiresAt: number;
}

/**
 * The per-receiver mailbox of held peer messages.
 *
 * Expiry does not wait for the receiver: a uid that never logs in again never fetches, so the
 * store itself lets expired messages go. Each `hold` removes, besides the receiver's own expired
 * messages, the mailboxes of any receiver whose messages have all expired at `now` (the Redis
 * store also lets each mailbox key expire a little after its newest message, so Redis reclaims
 * it). Every message lives equally long (`offlineMessageTtlMs` from its arrival), so mailboxes
 * expire in about the order they were last written to; a store may rely on that to find expired
 * mailboxes quickly, never to remove one before all its messages expired.
 */
export interface PeerStore {
  /**
   * Append to the receiver's mailbox, oldest first, after dropping what expired at `now`. When it
   * holds more than `maxPerReceiver`, the oldest go (seeds 0.9.3: the newest evicts the oldest).
   * Returns how many unexpired messages were evicted.
   */
  hold(appId: string, receiver: string, message: HeldPeerMessage, maxPerReceiver: number, now: number): Promise<number>;
  /**
   * `hold` for an offline message (`message.offline`), with the byte quotas checked in the same
   * step so that no two senders can both pass a nearly full quota. The message is refused, and
   * nothing held or evicted, when the stored offline bytes of its sender (`message.from`) or of
   * the app would pass their cap once the message is in and what it evicts is gone. Expired
   * messages are dropped either way.
   */
  holdOffline(appId: string, receiver: string, message: HeldPeerMessage, caps: OfflineHoldCaps, now: number): Promise<OfflineHoldResult>;
  /**
   * What `sessionId` of `receiver` may get now, oldest first, at most `max`: offline messages and
   * messages held for this very session, not expired at `now`. Expired messages and messages
   * held for another session are removed on the way.
   */
  deliverable(appId: string, receiver: string, sessionId: string, now: number, max: number): Promise<HeldPeerMessage[]>;
  /**
   * Whether `deliverable` would give `sessionId` anything at `now`, answered at once. Only a store
   * that keeps mailboxes in this process has it (the memory store): a new connection's
   * `session:ready` then says whether its client needs to fetch. Without it, clients fetch after
   * every connection.
   */
  holdsNow?(appId: string, receiver: string, sessionId: string, now: number): boolean;
  /** Remove messages the receiver acknowledged. Returns how many were removed. */
  remove(appId: string, receiver: string, ids: readonly string[]): Promise<number>;
  /** Drop the messages held for a session that ended (offline messages stay). */
  dropForSession(appId: string, receiver: string, sessionId: string): Promise<void>;
}

/**
 * The caps of one offline hold. Bytes are `heldMessageBytes` of every offline message held and
 * not yet removed, expired or evicted, per sender (app ID + uid) and per app.
 */
export interface OfflineHoldCaps {
  readonly maxPerReceiver: number;
  readonly maxSenderBytes: number;
  readonly maxAppBytes: number;
}

export type OfflineHoldResult =
  | { readonly ok: true; readonly evicted: number }
  | { readonly ok: false; readonly over: 'sender' | 'app' };

/**
 * What the server keeps with a held message besides its content (ids, sender, times), as a flat
 * estimate: it makes a flood of one-byte messages cost what it really costs.
 */
export const HELD_MESSAGE_OVERHEAD_BYTES = 256;

/** The bytes an offline message counts against the quotas: its size as the 32 KB rule measures it, plus overhead. */
export function heldMessageBytes(message: Pick<HeldPeerMessage, 'message'>): number {
  return wireMessageSize(message.message) + HELD_MESSAGE_OVERHEAD_BYTES;
}
