import type { PresenceChange, PresenceSnapshot } from '@rtm-kit/protocol';

/**
 * A session lifecycle step as presence records it. Steps of one user can be reported out of
 * order (a drop and a resume race through different connections), so each carries what makes
 * it comparable: the session, and a rank within the session that grows with every connection
 * (`2 × epoch` when a connection attaches, `2 × epoch + 1` when it drops).
 */
export type PresenceStep =
  | { readonly kind: 'start'; readonly sessionId: string; readonly rank: number }
  | { readonly kind: 'connection'; readonly sessionId: string; readonly rank: number; readonly state: 'ONLINE' | 'UNREACHABLE' }
  | { readonly kind: 'end'; readonly sessionId: string };

export type AddSubscriptionsResult =
  | { readonly ok: true; readonly added: readonly string[] }
  | { readonly ok: false; readonly reason: 'OVERFLOW' };

/**
 * Online status and status subscriptions (§2.6, §7.3, §9.5). Status versions come from one
 * counter per app that every change increases, so a snapshot and a change can be ordered.
 */
export interface PresenceStore {
  /**
   * Record a lifecycle step and return the change it makes, or null when it makes none (the
   * status is the same, the step is older than what is recorded, or it is about another session
   * than the user's current one). `start` makes `sessionId` the user's; `end` forgets the user
   * if `sessionId` is still the user's; `connection` applies only to the user's current session
   * and only if its rank is higher than the recorded one.
   */
  recordPresence(appId: string, uid: string, step: PresenceStep): Promise<PresenceChange | null>;
  /** The status of each of `uids` as of one moment, with the app's version at that moment. */
  presenceSnapshot(appId: string, uids: readonly string[]): Promise<PresenceSnapshot>;
  /** Add peers to a session's subscriptions unless the total would exceed `max`. */
  addSubscriptions(appId: string, sessionId: string, peers: readonly string[], max: number): Promise<AddSubscriptionsResult>;
  /** Remove peers from a session's subscriptions; returns those that were subscribed. */
  removeSubscriptions(appId: string, sessionId: string, peers: readonly string[]): Promise<string[]>;
  /** Make a session's subscriptions exactly `peers`; returns the ones dropped. */
  replaceSubscriptions(appId: string, sessionId: string, peers: readonly string[]): Promise<string[]>;
  listSubscriptions(appId: string, sessionId: string): Promise<string[]>;
  clearSubscriptions(appId: string, sessionId: string): Promise<void>;
}
