import type { MaybePromise } from '../maybe-async.js';

/**
 * The sessions' part of the store: one session per (app, uid), the connection attached to it, and
 * why recent ones ended. Every method is one atomic step of the store.
 */

/** Why a session ended, as the core records it. */
export type SessionEnd = 'LOGOUT' | 'TIMEOUT' | 'REMOTE_LOGIN' | 'TOKEN_EXPIRED' | 'BANNED_BY_SERVER';

export interface SessionRecord {
  readonly sessionId: string;
  readonly appId: string;
  readonly uid: string;
  readonly startedAt: number;
  /** Incremented each time a connection attaches; guards against stale timers and sockets. */
  readonly epoch: number;
  /** False while the connection is gone and the grace period runs. */
  readonly connected: boolean;
  /** Since when the session has had no connection (null while connected). */
  readonly disconnectedAt: number | null;
  readonly tokenExpiresAt: number | null;
  /**
   * What a reconnecting client must present to resume this session (`AuthPayload.resumeSecret`);
   * issued at login in `session:ready`. The session ID alone is not enough: it also travels with
   * every media request, where it may be logged.
   */
  readonly resumeSecret: string;
}

export interface EndedSession {
  readonly appId: string;
  readonly uid: string;
  readonly reason: SessionEnd;
}

/** Conditions under which `endSession` removes a session; all given ones must hold. */
export interface EndConditions {
  /** Only if the session's epoch is still this (no connection attached since). */
  readonly epoch?: number;
  /** Only if the session has no connection. */
  readonly disconnected?: boolean;
  /** Only if its token expires at or before this time. */
  readonly tokenExpiredBy?: number;
}

export interface SessionStore {
  /**
   * Make `record` the user's session, returning the one it displaces (remote login) or null.
   * When there is a displaced session, it is remembered as ended by `REMOTE_LOGIN` until
   * `rememberUntil`.
   */
  claimSession(record: SessionRecord, rememberUntil: number): Promise<SessionRecord | null>;
  /**
   * The user's current session. Every request and every peer message reads it: a store that
   * holds sessions in this process may answer at once instead of with a promise (the memory
   * store does).
   */
  getSession(appId: string, uid: string): MaybePromise<SessionRecord | null>;
  /** Attach a new connection if `sessionId` is still the user's session: epoch+1, connected. */
  attachSession(appId: string, uid: string, sessionId: string): Promise<SessionRecord | null>;
  /** Mark the session disconnected if it is current and its epoch is `epoch`. */
  detachSession(appId: string, uid: string, sessionId: string, epoch: number, at: number): Promise<SessionRecord | null>;
  /** Move the token deadline of the current session. */
  setTokenExpiry(appId: string, uid: string, sessionId: string, tokenExpiresAt: number | null): Promise<boolean>;
  /**
   * Remove the session if it is the user's current one and `conditions` hold. Reasons other than
   * LOGOUT and TIMEOUT are remembered until `rememberUntil` so a late reconnect learns them.
   */
  endSession(
    appId: string,
    uid: string,
    sessionId: string,
    reason: SessionEnd,
    conditions: EndConditions,
    rememberUntil: number,
  ): Promise<SessionRecord | null>;
  /** Why a session that is no longer current ended, if still remembered at `now`. */
  getEndedSession(sessionId: string, now: number): Promise<EndedSession | null>;
  /**
   * The current sessions of an app (connected or in their grace period), in ascending uid order
   * (UTF-16 code units, as `<` compares strings), only uids after `afterUid` when given, at most
   * `limit`. Operators page through them with the last uid of each page.
   */
  listSessions(appId: string, limit: number, afterUid?: string): Promise<SessionRecord[]>;
}

/** Who a request comes from: a session, by its app, user and ID (what every service checks). */
export type SessionActor = Pick<SessionRecord, 'appId' | 'uid' | 'sessionId'>;
