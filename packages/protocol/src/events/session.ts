import type { Request } from '../ack.js';
import type { Limits } from '../limits.js';
import type { RequestErrorCodes } from './request-errors.js';

export const PROTOCOL_VERSION = 1;

/**
 * What a client sends in the socket.io handshake (`auth`). The uid is bound to the token when the
 * app has a certificate; a `sessionId` asks to resume a session whose connection dropped, and
 * `resumeSecret` proves the asker is that session's client.
 */
export interface AuthPayload {
  readonly v: typeof PROTOCOL_VERSION;
  readonly appId: string;
  readonly uid: string;
  readonly token: string | null;
  readonly sessionId: string | null;
  /**
   * The `resumeSecret` of the session named by `sessionId` (from its `session:ready`). Without
   * the right one a live session is not resumed: the handshake is refused with
   * LOGIN_ERR_NOT_AUTHORIZED. Unlike the session ID, it never leaves the socket.io connection
   * (media requests carry only the session ID), so a leaked session ID cannot take a session over.
   */
  readonly resumeSecret?: string | null;
}

/** Why the server ended a session that the client did not log out of. */
export type SessionEndReason = 'REMOTE_LOGIN' | 'TOKEN_EXPIRED' | 'BANNED_BY_SERVER' | 'INTERRUPTED';

/** `connect_error` data when the handshake is refused. */
export interface ConnectErrorData {
  /** The LoginError code (§8), or 0 when a resumed session had ended (see `ended`). */
  readonly code: number;
  readonly name: string;
  readonly message: string;
  /** Set when the client asked to resume a session that the server ended meanwhile. */
  readonly ended?: SessionEndReason;
}

export interface SessionReady {
  readonly sessionId: string;
  /**
   * The secret a reconnecting client presents (`AuthPayload.resumeSecret`) to resume this
   * session. Issued at login, the same for the whole session; keep it in memory only.
   */
  readonly resumeSecret: string;
  /** True when an interrupted session was picked up again: channels and attributes are intact. */
  readonly resumed: boolean;
  readonly serverTime: number;
  /** When the login token expires (ms since the epoch), or null for token-less apps. */
  readonly tokenExpiresAt: number | null;
  /**
   * The limits this server enforces (`startServer({ limits })`), so the client's own checks
   * agree with the server's instead of assuming the defaults. Only those that differ from
   * `DEFAULT_LIMITS` are sent (`{}` for a server with the defaults); the client fills in the rest
   * with `resolveLimits`.
   */
  readonly limits: Partial<Limits>;
  /**
   * Whether the server holds peer messages for this connection to fetch (`peer:fetch`) as it
   * connects. When false the client need not fetch: a message held from then on is announced
   * with `peer:pending`. Older servers leave it out, and the client fetches then.
   */
  readonly heldPeerMessages?: boolean;
}

export interface SessionClientEvents {
  'session:logout': Request<Record<string, never>, null>;
  'session:renewToken': Request<{ readonly token: string }, { readonly tokenExpiresAt: number | null }>;
}

export interface SessionServerEvents {
  'session:ready': (info: SessionReady) => void;
  'session:tokenWillExpire': (info: { readonly tokenExpiresAt: number }) => void;
  'session:ended': (info: { readonly reason: SessionEndReason }) => void;
}

export const SESSION_REQUEST_ERRORS: { readonly [E in keyof SessionClientEvents]: RequestErrorCodes } = {
  // Logout takes no payload and cannot fail once the session exists.
  'session:logout': {
    invalid: 'INTERNAL',
    failure: 'INTERNAL',
    notLoggedIn: 'LOGOUT_ERR_USER_NOT_LOGGED_IN',
    timeout: 'INTERNAL',
  },
  'session:renewToken': {
    invalid: 'RENEW_TOKEN_ERR_INVALID_ARGUMENT',
    failure: 'RENEW_TOKEN_ERR_FAILURE',
    notLoggedIn: 'RENEW_TOKEN_ERR_USER_NOT_LOGGED_IN',
    // The group has no timeout code.
    timeout: 'RENEW_TOKEN_ERR_FAILURE',
  },
};
