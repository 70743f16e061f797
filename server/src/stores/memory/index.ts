import type { Store } from '../../core/store.js';
import { MemoryChannelAttributeStore, MemoryUserAttributeStore } from './attribute-store.js';
import { MemoryChannelStore } from './channel-store.js';
import { MemoryMediaSlotStore } from './media-slot-store.js';
import { MemoryInvitationStore } from './invitation-store.js';
import { MemoryPeerStore } from './peer-store.js';
import { MemoryPresenceStore } from './presence-store.js';
import { MemoryRateLimitStore } from './rate-limit-store.js';
import { MemorySendLedgerStore } from './send-ledger-store.js';
import { MemorySessionStore } from './session-store.js';

/**
 * The embedded default: all state in this process. Each method runs to completion without
 * awaiting in between, which is what makes it atomic here; the Redis store gets the same from
 * transactions and scripts.
 *
 * What a restart loses: everything. Clients notice the lost session when they reconnect and log
 * in again on their own (a fresh session: the client re-joins channels, re-applies its user
 * attributes and subscriptions), so live state comes back. What does not come back without the
 * Redis store: offline messages, channel attributes, media and invitations in flight.
 *
 * Peer messages and channels in detail:
 * - Channel membership is lost and comes back: every client re-joins its channels when it logs in
 *   again after the restart, before it reports CONNECTED. Members see `MemberJoined` for the
 *   others as they return; the replay buffers (§9.3) start empty, so messages sent in the last
 *   30 s before the restart are not replayed.
 * - Peer messages a client sent while the server was down wait in the client (the reconnect
 *   cache, seed 1.0.1) and are sent after the restart. A send that reached the old process but
 *   was not answered is retried with its id; the old process's id ledger is gone, so such a
 *   message can arrive twice.
 * - Held peer messages are lost: offline messages (1.4.x `enableOfflineMessaging`, kept for 7
 *   days) and messages waiting for a receiver's dropped connection. Keeping offline messages
 *   across restarts needs the Redis store.
 *
 * Attributes, presence and invitations in detail:
 * - User attributes are lost and come back: they belong to a session, and every client re-applies
 *   its own copy when it logs in again after the restart (§9.6).
 * - Channel attributes are lost for good, with no notification; so are the timers that clear the
 *   attributes of empty channels (they live in the process that wrote or emptied the channel).
 * - Online statuses are rebuilt as clients log in again; subscriptions come back because each
 *   client restores its own and then reports every subscribed peer's status. Status versions
 *   restart from zero, which the clients handle because their sessions are new too.
 * - Invitations in flight are lost: both sides' clients ask after them when they reconnect, get
 *   no answer for them, and fail them (the caller with NOT_LOGGEDIN, the callee with UNKNOWN).
 */
export class MemoryStore implements Store {
  readonly sessions = new MemorySessionStore();
  readonly peer = new MemoryPeerStore();
  readonly sendLedger = new MemorySendLedgerStore();
  readonly channels = new MemoryChannelStore();
  readonly userAttributes = new MemoryUserAttributeStore();
  readonly channelAttributes = new MemoryChannelAttributeStore();
  readonly presence = new MemoryPresenceStore();
  readonly invitations = new MemoryInvitationStore();
  readonly rateLimits = new MemoryRateLimitStore();
  readonly mediaSlots = new MemoryMediaSlotStore();

  /**
   * How many entries each part holds for users, sessions, channels and invitations: all zero once
   * every session has ended by logout or timeout (no channel attributes left, no invitation in
   * flight or remembered). Held peer messages and the message-id ledger are not counted. For tests
   * and monitoring; a growing count with no users online is a leak.
   *
   * @example
   * const store = new MemoryStore();
   * const server = await startServer({ store });
   * // ... users log in and out ...
   * Object.values(store.entryCounts()).every((n) => n === 0); // true
   */
  entryCounts(): { sessions: number; presence: number; channels: number; userAttributes: number; channelAttributes: number; invitations: number } {
    return {
      sessions: this.sessions.entryCount(),
      presence: this.presence.entryCount(),
      channels: this.channels.entryCount(),
      userAttributes: this.userAttributes.entryCount(),
      channelAttributes: this.channelAttributes.entryCount(),
      invitations: this.invitations.entryCount(),
    };
  }

  async close(): Promise<void> {}
}
