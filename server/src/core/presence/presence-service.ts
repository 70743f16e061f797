import { isValidUserId, type ErrorCodeName, type PresenceChange, type PresenceSnapshot } from '@rtm-kit/protocol';
import { CoreError } from '../errors.js';
import { RateLimiter } from '../rate-limits.js';
import type { SessionLifecycleListener } from '../sessions/lifecycle.js';
import type { SessionActor, SessionRecord } from '../sessions/store.js';
import type { PresenceStep, PresenceStore } from './store.js';

/** The session a request comes from. */
export type PresenceActor = SessionActor;

/** A request's session and the connection it came through (the session's epoch at attach). */
export type PresenceConnectionActor = PresenceActor & Pick<SessionRecord, 'epoch'>;
import type { ServiceContext } from '../context.js';

export interface PresenceServiceDeps extends ServiceContext {
  readonly store: PresenceStore;
  /** The user's current session, to drop subscriptions made by a session that just ended. */
  readonly currentSession: (appId: string, uid: string) => Promise<SessionRecord | null>;
}

/**
 * Online status (spec §2.6, §7.3, §9.5). A user's status follows its session: ONLINE from login,
 * UNREACHABLE while its connection is gone within the grace period, ONLINE again on resume,
 * OFFLINE at logout, kick or the end of the grace period.
 *
 * UNREACHABLE starts when the server notices the connection is gone: at once for a closed
 * connection, after 6 s of silence for one that just stopped (the binding pings every 2.5 s and
 * gives up 3.5 s later, which is the spec's threshold, §7.3). The Web runtime's quirk of flipping
 * an UNREACHABLE peer back to ONLINE after 30 s on its own (§7.3, §11.12) is not copied: the
 * server reports OFFLINE at that point instead, which is the truth.
 *
 * Subscriptions belong to the session: they survive a resume and end with it. Each change goes
 * to the subscribers' connections with a version, and every snapshot carries the version it was
 * read at, so a client ends on the latest status whatever order the two arrive in.
 *
 * Every request pays its call before its peer IDs are looked at: the rate limit is taken first,
 * so a client that sends lists it knows to be invalid is held to the same few calls per window
 * as any other (the schemas already refused lists past their wire bound without reading them).
 */
export class PresenceService implements SessionLifecycleListener {
  readonly #d: PresenceServiceDeps;
  /** Per user (§10.5 counts per client; a user has one client at a time). */
  readonly #queryRate: RateLimiter;
  readonly #subscribeRate: RateLimiter;
  readonly #unsubscribeRate: RateLimiter;
  readonly #listRate: RateLimiter;
  /**
   * Per session of this node: the newest connection (epoch) that used its free restore. One
   * entry per session, dropped when the session ends.
   */
  readonly #restoredEpoch = new Map<string, number>();

  constructor(deps: PresenceServiceDeps) {
    this.#d = deps;
    this.#queryRate = new RateLimiter(deps.rateLimits, 'queryOnlineStatus', deps.limits.queryOnlineStatusRate);
    this.#subscribeRate = new RateLimiter(deps.rateLimits, 'subscribe', deps.limits.subscribeRate);
    this.#unsubscribeRate = new RateLimiter(deps.rateLimits, 'unsubscribe', deps.limits.unsubscribeRate);
    this.#listRate = new RateLimiter(deps.rateLimits, 'querySubscription', deps.limits.querySubscriptionRate);
  }

  started(session: SessionRecord): Promise<void> {
    return this.#record(session, { kind: 'start', sessionId: session.sessionId, rank: 2 * session.epoch });
  }

  interrupted(session: SessionRecord): Promise<void> {
    return this.#record(session, { kind: 'connection', sessionId: session.sessionId, rank: 2 * session.epoch + 1, state: 'UNREACHABLE' });
  }

  resumed(session: SessionRecord): Promise<void> {
    return this.#record(session, { kind: 'connection', sessionId: session.sessionId, rank: 2 * session.epoch, state: 'ONLINE' });
  }

  async ended(session: SessionRecord): Promise<void> {
    this.#restoredEpoch.delete(sessionKey(session));
    await this.#d.store.clearSubscriptions(session.appId, session.sessionId);
    await this.#record(session, { kind: 'end', sessionId: session.sessionId });
  }

  /** `queryPeersOnlineStatus`: true while a peer is logged in, reachable or not. */
  async query(actor: PresenceActor, peers: readonly string[]): Promise<Array<readonly [string, boolean]>> {
    await this.#queryRate.take(userKey(actor), this.#d.clock.now(), 'QUERY_PEERS_ONLINE_STATUS_ERR_TOO_OFTEN', 'queryPeersOnlineStatus');
    this.#checkPeers(peers, this.#d.limits.queryOnlineStatusMaxIds, 'QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT', 'QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT');
    const unique = [...new Set(peers)];
    const snapshot = await this.#d.store.presenceSnapshot(actor.appId, unique);
    return snapshot.peers.map(({ uid, state }) => [uid, state !== 'OFFLINE'] as const);
  }

  /**
   * `subscribePeersOnlineStatus`: at most `subscriptionMaxPeers` in total (OVERFLOW), answered
   * with the status of every named peer. The connection joins the peers' subscriber groups before
   * the statuses are read: a change before the read is in the snapshot, one after it is sent.
   */
  async subscribe(actor: PresenceActor, peers: readonly string[]): Promise<PresenceSnapshot> {
    const max = this.#d.limits.subscriptionMaxPeers;
    await this.#subscribeRate.take(userKey(actor), this.#d.clock.now(), 'PEER_SUBSCRIPTION_STATUS_ERR_TOO_OFTEN', 'subscribePeersOnlineStatus');
    this.#checkPeers(peers, max, 'PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT', 'PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW');
    const unique = [...new Set(peers)];
    const added = await this.#d.store.addSubscriptions(actor.appId, actor.sessionId, unique, max);
    if (!added.ok) {
      throw new CoreError('PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW', `At most ${max} peers can be subscribed to.`);
    }
    this.#d.router.watchStatus(actor.sessionId, actor.appId, unique);
    await this.#dropIfEnded(actor);
    return this.#d.store.presenceSnapshot(actor.appId, unique);
  }

  async unsubscribe(actor: PresenceActor, peers: readonly string[]): Promise<void> {
    await this.#unsubscribeRate.take(userKey(actor), this.#d.clock.now(), 'PEER_SUBSCRIPTION_STATUS_ERR_TOO_OFTEN', 'unsubscribePeersOnlineStatus');
    this.#checkPeers(peers, this.#d.limits.subscriptionMaxPeers, 'PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT', 'PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW');
    const removed = await this.#d.store.removeSubscriptions(actor.appId, actor.sessionId, [...new Set(peers)]);
    this.#d.router.unwatchStatus(actor.sessionId, actor.appId, removed);
  }

  /** `queryPeersBySubscriptionOption(ONLINE_STATUS)`. */
  async list(actor: PresenceActor): Promise<string[]> {
    await this.#listRate.take(userKey(actor), this.#d.clock.now(), 'QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_TOO_OFTEN', 'queryPeersBySubscriptionOption');
    return this.#d.store.listSubscriptions(actor.appId, actor.sessionId);
  }

  /**
   * After a reconnect the client names the peers it is subscribed to; the session's
   * subscriptions become exactly those and the new connection joins their groups.
   *
   * The first restore of each connection is the client restoring its own state, not a new
   * subscription, so it is free (a flapping network must not lock a client out of its own
   * statuses). Any further restore on the same connection (a client retrying one that failed, or
   * re-converging after a race) counts against the subscribe rate: each joins up to
   * `subscriptionMaxPeers` groups, so a free one would be an unlimited subscribe.
   */
  async restore(actor: PresenceConnectionActor, peers: readonly string[]): Promise<PresenceSnapshot> {
    const key = sessionKey(actor);
    if ((this.#restoredEpoch.get(key) ?? -Infinity) < actor.epoch) {
      this.#restoredEpoch.set(key, actor.epoch);
    } else {
      await this.#subscribeRate.take(
        userKey(actor),
        this.#d.clock.now(),
        'PEER_SUBSCRIPTION_STATUS_ERR_TOO_OFTEN',
        'subscribePeersOnlineStatus (with every restore after the first of a connection)',
      );
    }
    const unique = [...new Set(peers)];
    for (const uid of unique) this.#checkPeer(uid, 'PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT');
    if (unique.length > this.#d.limits.subscriptionMaxPeers) {
      throw new CoreError('PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW', `At most ${this.#d.limits.subscriptionMaxPeers} peers can be subscribed to.`);
    }
    const dropped = await this.#d.store.replaceSubscriptions(actor.appId, actor.sessionId, unique);
    this.#d.router.unwatchStatus(actor.sessionId, actor.appId, dropped);
    this.#d.router.watchStatus(actor.sessionId, actor.appId, unique);
    await this.#dropIfEnded(actor);
    return this.#d.store.presenceSnapshot(actor.appId, unique);
  }

  async #record(session: SessionRecord, step: PresenceStep): Promise<void> {
    const change: PresenceChange | null = await this.#d.store.recordPresence(session.appId, session.uid, step);
    if (change) this.#d.router.toStatusWatchers(session.appId, session.uid, 'presence:changed', change);
  }

  /**
   * A subscribe that raced the end of its session must not leave subscriptions behind: either
   * the session's end cleared them after they were added, or this sees the session gone.
   */
  async #dropIfEnded(actor: PresenceActor): Promise<void> {
    const current = await this.#d.currentSession(actor.appId, actor.uid);
    if (current?.sessionId === actor.sessionId) return;
    await this.#d.store.clearSubscriptions(actor.appId, actor.sessionId);
    throw new CoreError('PEER_SUBSCRIPTION_STATUS_ERR_USER_NOT_LOGGED_IN', 'This session has ended.');
  }

  #checkPeers(peers: readonly string[], max: number, invalid: ErrorCodeName, tooMany: ErrorCodeName): void {
    if (peers.length === 0) throw new CoreError(invalid, 'At least one peer ID is required.');
    for (const uid of peers) this.#checkPeer(uid, invalid);
    if (new Set(peers).size > max) throw new CoreError(tooMany, `At most ${max} peer IDs per call.`);
  }

  #checkPeer(uid: string, invalid: ErrorCodeName): void {
    if (!isValidUserId(uid, this.#d.limits.idMaxLength)) throw new CoreError(invalid, `"${String(uid).slice(0, 80)}" is not a valid peer ID.`);
  }
}

/** Keys of the rate limits and restores (app IDs are exactly 32 characters). */
function userKey(actor: PresenceActor): string {
  return actor.appId + actor.uid;
}

function sessionKey(session: Pick<SessionRecord, 'appId' | 'sessionId'>): string {
  return session.appId + session.sessionId;
}
