import {
  peerIdsProblem,
  type ClientEventName,
  type ErrorCodeName,
  type PeerOnlineState,
  type PresenceChange,
  type PresenceSnapshot,
  type RequestPayload,
  type RequestResult,
} from '@rtm-kit/protocol';
import type { Logger } from './config.js';
import type { Connection } from './connection.js';
import { RtmError, rtmError } from './errors.js';
import { Resync } from './resync.js';

/** `queryPeersOnlineStatus` result: true while the peer is logged in (§2.6). */
export interface PeersOnlineStatusResult {
  [peerId: string]: boolean;
}

/** `PeersOnlineStatusChanged` payload (§2.7). */
export interface PeersOnlineStatusMap {
  [peerId: string]: PeerOnlineState;
}

interface Known {
  state: PeerOnlineState;
  version: number;
}

/**
 * Online status queries and subscriptions (spec §2.6, §9.5). The client keeps, per subscribed
 * peer, the status with the highest version it has heard (snapshot or change), and reports a
 * peer only when that status changes, so the order in which answers and events arrive cannot
 * leave it on a stale status. After a reconnect it restores its subscriptions on the server and
 * reports every subscribed peer (§9.1: "re-queries subscribed peers and emits a full
 * PeersOnlineStatusChanged").
 *
 * The restore sends the whole set the client holds, so a restore that fails or times out is
 * simply sent again (`Resync`), and one that a subscribe or unsubscribe overlapped is sent again
 * once that call settled: the server may have applied the two in either order. The last restore
 * leaves the server with exactly the client's set.
 */
export class Presence {
  readonly #connection: Connection;
  readonly #log: Logger;
  readonly #emit: (statuses: PeersOnlineStatusMap) => void;
  /** Peers whose subscription the server confirmed. */
  readonly #subscribed = new Set<string>();
  /** Peers whose subscription is on its way, and how many calls are adding each. */
  readonly #pending = new Map<string, number>();
  /** The newest status heard of each subscribed or pending peer. */
  readonly #known = new Map<string, Known>();
  readonly #resync: Resync;
  /** The first restore of a round reports every subscribed peer; later ones only changes. */
  #fullReport = false;
  /** Restores sent so far, and how many are on their way, to spot calls that overlap one. */
  #restoresSent = 0;
  #restoresInFlight = 0;

  constructor(connection: Connection, log: Logger, emit: (statuses: PeersOnlineStatusMap) => void) {
    this.#connection = connection;
    this.#log = log;
    this.#emit = emit;
    this.#resync = new Resync(connection, log, 'restoring online status subscriptions', () => this.#restore());
    connection.onServer('presence:changed', (change) => this.#changed(change));
    connection.addHooks({
      ready: (info) => (info.initial ? undefined : this.#startRestore(info.resumed)),
      // §9.5: subscriptions are cleared at logout.
      closed: () => {
        this.#resync.stop();
        this.#subscribed.clear();
        this.#pending.clear();
        this.#known.clear();
      },
    });
  }

  async query(peerIds: unknown): Promise<PeersOnlineStatusResult> {
    const { limits } = this.#connection;
    // The 1.x order: the login state is checked before the arguments.
    if (!this.#connection.isLoggedIn) {
      throw rtmError('QUERY_PEERS_ONLINE_STATUS_ERR_USER_NOT_LOGGED_IN', 'Log in before querying online status.');
    }
    const peers = checkPeers(peerIds, limits.queryOnlineStatusMaxIds, limits.idMaxLength, 'QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT', 'QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT');
    const { online } = await this.#request('presence:query', { peers });
    return Object.fromEntries(online) as PeersOnlineStatusResult;
  }

  async subscribe(peerIds: unknown): Promise<void> {
    const { limits } = this.#connection;
    const max = limits.subscriptionMaxPeers;
    const peers = checkPeers(peerIds, max, limits.idMaxLength, 'PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT', 'PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW');
    const adding = peers.filter((uid) => !this.#subscribed.has(uid));
    const fresh = adding.filter((uid) => !this.#pending.has(uid));
    // §2.6 (runtime): existing + pending + new may not exceed 512.
    if (this.#subscribed.size + this.#pending.size + fresh.length > max) {
      throw rtmError('PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW', `At most ${max} peers can be subscribed to.`);
    }
    for (const uid of adding) this.#pending.set(uid, (this.#pending.get(uid) ?? 0) + 1);
    const overlap = this.#watchRestores();
    let snapshot: PresenceSnapshot;
    try {
      snapshot = await this.#request('presence:subscribe', { peers });
    } catch (error) {
      for (const uid of adding) this.#unpend(uid);
      overlap();
      throw error;
    }
    for (const { uid, state } of snapshot.peers) this.#hear(uid, state, snapshot.version);
    // §2.6: the newly subscribed peers are reported once, with the newest status heard.
    const report: Array<[string, PeerOnlineState]> = [];
    for (const uid of adding) {
      if (this.#subscribed.has(uid)) continue; // a concurrent call got there first
      this.#subscribed.add(uid);
      const known = this.#known.get(uid);
      if (known) report.push([uid, known.state]);
    }
    for (const uid of adding) this.#unpend(uid);
    overlap();
    if (report.length > 0) this.#emit(Object.fromEntries(report) as PeersOnlineStatusMap);
  }

  async unsubscribe(peerIds: unknown): Promise<void> {
    const { limits } = this.#connection;
    const peers = checkPeers(peerIds, limits.subscriptionMaxPeers, limits.idMaxLength, 'PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT', 'PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW');
    const overlap = this.#watchRestores();
    try {
      await this.#request('presence:unsubscribe', { peers });
    } finally {
      // Also after a failure: the server may have removed them while the answer was lost.
      overlap();
    }
    for (const uid of peers) {
      this.#subscribed.delete(uid);
      if (!this.#pending.has(uid)) this.#known.delete(uid);
    }
  }

  async list(option: unknown): Promise<string[]> {
    if (option !== 'ONLINE_STATUS') {
      // The group has no argument code; only ONLINE_STATUS exists (§2.6, §7.4).
      throw rtmError('QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_FAILURE', 'Only PeerSubscriptionOption.ONLINE_STATUS is supported.');
    }
    const { peers } = await this.#request('presence:listSubscriptions', {});
    return [...peers];
  }

  /** Keep what is heard of a peer if it is newer than what is known; true if it was. */
  #hear(uid: string, state: PeerOnlineState, version: number): boolean {
    const known = this.#known.get(uid);
    if (known && known.version >= version) return false;
    this.#known.set(uid, { state, version });
    return true;
  }

  #changed(change: PresenceChange): void {
    const { uid, state, version } = change;
    if (!this.#subscribed.has(uid) && !this.#pending.has(uid)) return;
    const before = this.#known.get(uid)?.state;
    if (!this.#hear(uid, state, version)) return;
    // A peer still being subscribed is reported with the subscribe's answer, not before it.
    if (this.#subscribed.has(uid) && before !== state) this.#emit(Object.fromEntries([[uid, state]]) as PeersOnlineStatusMap);
  }

  #startRestore(resumed: boolean): Promise<void> | undefined {
    if (this.#subscribed.size === 0) {
      this.#resync.stop();
      return undefined;
    }
    // A new session may be on a restarted server whose versions begin again; nothing of the
    // new session's peers can have been heard before the restore answers, so start afresh.
    if (!resumed) this.#known.clear();
    this.#fullReport = true;
    return this.#resync.start();
  }

  /** One restore: the server's subscriptions become the client's set. Throws to be retried. */
  async #restore(): Promise<void> {
    const peers = [...this.#subscribed];
    this.#restoresSent++;
    this.#restoresInFlight++;
    let snapshot: PresenceSnapshot;
    try {
      snapshot = await this.#request('presence:restore', { peers }, true);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      // Refused for good (the server's limits changed under a new session): sending the same set
      // again cannot help, so the client takes the server's set instead (§9.5: its own record).
      this.#log.error('the server refused to restore the online status subscriptions; keeping only those it has', error);
      await this.#adoptServerSubscriptions();
      return;
    } finally {
      this.#restoresInFlight--;
    }
    const before = new Map([...this.#subscribed].map((uid) => [uid, this.#known.get(uid)?.state]));
    for (const { uid, state } of snapshot.peers) this.#hear(uid, state, snapshot.version);
    const report: Array<[string, PeerOnlineState]> = [];
    for (const uid of this.#subscribed) {
      const known = this.#known.get(uid);
      if (known && (this.#fullReport || before.get(uid) !== known.state)) report.push([uid, known.state]);
    }
    this.#fullReport = false;
    if (report.length > 0) this.#emit(Object.fromEntries(report) as PeersOnlineStatusMap);
  }

  async #adoptServerSubscriptions(): Promise<void> {
    const { peers } = await this.#request('presence:listSubscriptions', {}, true);
    const held = new Set(peers);
    for (const uid of [...this.#subscribed]) {
      if (held.has(uid)) continue;
      this.#subscribed.delete(uid);
      if (!this.#pending.has(uid)) this.#known.delete(uid);
    }
    this.#fullReport = false;
  }

  /**
   * Call when a subscribe or unsubscribe is sent; call the returned function when it settled. If
   * a restore was on its way at any time in between, the server may have applied the two in
   * either order, so the client restores once more.
   */
  #watchRestores(): () => void {
    const sent = this.#restoresSent;
    const inFlight = this.#restoresInFlight > 0;
    return () => {
      if (inFlight || this.#restoresSent !== sent || this.#restoresInFlight > 0) this.#resync.again();
    };
  }

  #unpend(uid: string): void {
    const n = (this.#pending.get(uid) ?? 1) - 1;
    if (n > 0) {
      this.#pending.set(uid, n);
      return;
    }
    this.#pending.delete(uid);
    if (!this.#subscribed.has(uid)) this.#known.delete(uid);
  }

  #request<E extends ClientEventName>(event: E, payload: RequestPayload<E>, restore = false): Promise<RequestResult<E>> {
    return this.#connection.request(event, payload, { timeoutMs: this.#connection.timing.requestTimeoutMs, restore });
  }
}

/** A restore the server refused for a reason that sending it again cannot change. */
function isRefusal(error: unknown): boolean {
  const name = error instanceof RtmError ? error.codeName : undefined;
  return name === 'PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT' || name === 'PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW';
}

/** The peer IDs de-duplicated, or the protocol's argument problem as the group's error. */
function checkPeers(peerIds: unknown, max: number, idMaxLength: number, invalid: ErrorCodeName, tooMany: ErrorCodeName): string[] {
  const problem = peerIdsProblem(peerIds, max, idMaxLength);
  if (problem) throw rtmError(problem.code === 'TOO_MANY' ? tooMany : invalid, problem.message);
  return [...new Set(peerIds as string[])];
}
