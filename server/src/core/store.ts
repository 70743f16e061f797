import type { ChannelAttributeStore, UserAttributeStore } from './attributes/store.js';
import type { ChannelStore } from './channels/channel-store.js';
import type { InvitationStore } from './invitations/store.js';
import type { PresenceStore } from './presence/store.js';
import type { PeerStore } from './peer/peer-store.js';
import type { SendLedgerStore } from './messaging/send-ledger-store.js';
import type { RateLimitStore } from './rate-limits.js';
import type { SessionStore } from './sessions/store.js';
import type { MediaSlotStore } from './media/media-slots.js';

/**
 * State the core keeps between events. Every method is asynchronous and every state change the
 * core relies on being atomic is a single method, so a Redis implementation can make each one a
 * transaction or a script. Times are passed in, never read from a clock, so stores stay pure.
 */

export type { SessionEnd, SessionRecord, EndedSession, EndConditions, SessionStore } from './sessions/store.js';

/**
 * Everything the core stores, one part per domain. Each part's interface lives with its
 * domain's code; implementations (memory, Redis) provide every part and pass the same contract
 * tests.
 */
export interface Store {
  readonly sessions: SessionStore;
  /** Held peer messages (offline messages, messages waiting for a dropped connection). */
  readonly peer: PeerStore;
  /** Recent client message ids, so a retried send is delivered once. */
  readonly sendLedger: SendLedgerStore;
  /** Channel membership and the replay buffers. */
  readonly channels: ChannelStore;
  /** Each user's attributes, owned by its session. */
  readonly userAttributes: UserAttributeStore;
  /** Channel attributes, and since when each channel has been empty. */
  readonly channelAttributes: ChannelAttributeStore;
  /** Online statuses and status subscriptions. */
  readonly presence: PresenceStore;
  /** Call invitations in flight and recently finished. */
  readonly invitations: InvitationStore;
  /** The windows of every rate limit, so a fleet's nodes count against one budget. */
  readonly rateLimits: RateLimitStore;
  /**
   * Media transfers in flight per user, so a fleet's nodes count against one limit. Optional for
   * stores written before it: without it each process counts its own transfers.
   */
  readonly mediaSlots?: MediaSlotStore;
  /** Release connections and timers. */
  close(): Promise<void>;
  /**
   * Resolves when the store answers (a round trip to Redis), rejects when it does not; the
   * server's readiness check calls it. A store without it (memory) is always reachable.
   */
  ping?(): Promise<void>;
}
