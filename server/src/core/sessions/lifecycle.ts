import type { SessionEnd, SessionRecord } from './store.js';

/**
 * What other domains (channels, presence, attributes, invitations) hear about sessions. Every
 * callback may be async; the session service awaits them in registration order.
 */
export interface SessionLifecycleListener {
  /** A new session began (a fresh login, or a reconnect after the old session was gone). */
  started?(session: SessionRecord): void | Promise<void>;
  /** The session's connection dropped; the grace period starts. */
  interrupted?(session: SessionRecord): void | Promise<void>;
  /** A connection picked the session up again within the grace period. */
  resumed?(session: SessionRecord): void | Promise<void>;
  /** The session is over. */
  ended?(session: SessionRecord, reason: SessionEnd): void | Promise<void>;
}
