import type { Request } from '../ack.js';
import type { PeerOnlineState } from '../enums.js';
import type { RequestErrorCodes } from './request-errors.js';

/**
 * Statuses of some peers as of one moment. `version` orders it against `presence:changed`
 * events: every status change of the app gets a higher version than any snapshot read before it,
 * so a client keeps, per peer, whatever it heard with the highest version, and a change that
 * races a subscribe can never leave it on a stale final state.
 */
export interface PresenceSnapshot {
  readonly version: number;
  readonly peers: ReadonlyArray<{ readonly uid: string; readonly state: PeerOnlineState }>;
}

/** One peer's status changed. */
export interface PresenceChange {
  readonly uid: string;
  readonly state: PeerOnlineState;
  readonly version: number;
}

/** Requests of the presence domain (`presence:*`, spec §2.6, §9.5). */
export interface PresenceClientEvents {
  /** `queryPeersOnlineStatus`: true while the peer is logged in (ONLINE or UNREACHABLE). */
  'presence:query': Request<
    { readonly peers: readonly string[] },
    { readonly online: ReadonlyArray<readonly [uid: string, online: boolean]> }
  >;
  /** Adds peers to the session's subscriptions; answers with the status of every named peer. */
  'presence:subscribe': Request<{ readonly peers: readonly string[] }, PresenceSnapshot>;
  'presence:unsubscribe': Request<{ readonly peers: readonly string[] }, null>;
  /** `queryPeersBySubscriptionOption(ONLINE_STATUS)`. */
  'presence:listSubscriptions': Request<Record<string, never>, { readonly peers: readonly string[] }>;
  /**
   * After a reconnect: make the session's subscriptions exactly `peers` (a new session has none,
   * a resumed one keeps them) and answer with all their statuses, so changes missed while the
   * connection was gone are reported (T151 L1640, §9.1). Not counted against the subscribe rate.
   */
  'presence:restore': Request<{ readonly peers: readonly string[] }, PresenceSnapshot>;
}

/** Events the server sends in the presence domain. */
export interface PresenceServerEvents {
  /** To the subscribers of `uid`. */
  'presence:changed': (change: PresenceChange) => void;
}

const SUBSCRIPTION_ERRORS: RequestErrorCodes = {
  invalid: 'PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT',
  failure: 'PEER_SUBSCRIPTION_STATUS_ERR_FAILURE',
  notLoggedIn: 'PEER_SUBSCRIPTION_STATUS_ERR_USER_NOT_LOGGED_IN',
  timeout: 'PEER_SUBSCRIPTION_STATUS_ERR_TIMEOUT',
};

export const PRESENCE_REQUEST_ERRORS: { readonly [E in keyof PresenceClientEvents]: RequestErrorCodes } = {
  'presence:query': {
    invalid: 'QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT',
    // The Web group has no FAILURE code (§8); a server fault is reported as REJECTED.
    failure: 'QUERY_PEERS_ONLINE_STATUS_ERR_REJECTED',
    notLoggedIn: 'QUERY_PEERS_ONLINE_STATUS_ERR_USER_NOT_LOGGED_IN',
    timeout: 'QUERY_PEERS_ONLINE_STATUS_ERR_TIMEOUT',
  },
  'presence:subscribe': SUBSCRIPTION_ERRORS,
  'presence:unsubscribe': SUBSCRIPTION_ERRORS,
  // QueryPeersBySubscriptionOptionError has no argument code: a malformed request is a failure.
  'presence:listSubscriptions': {
    invalid: 'QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_FAILURE',
    failure: 'QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_FAILURE',
    notLoggedIn: 'QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_USER_NOT_LOGGED_IN',
    timeout: 'QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_TIMEOUT',
  },
  'presence:restore': SUBSCRIPTION_ERRORS,
};
