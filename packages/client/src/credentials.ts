import { isValidUserId, PROTOCOL_VERSION, type AuthPayload, type SessionReady } from '@rtm-kit/protocol';
import { rtmError } from './errors.js';
import type { HttpSession } from './media-http.js';
import type { TransportSocket } from './transport.js';

/** `login`'s argument checks (1.x: LOGIN_ERR_INVALID_ARGUMENT, before any state check). */
export function checkLoginArguments(uid: unknown, token: unknown): { uid: string; token: string | null } {
  if (!isValidUserId(uid)) throw rtmError('LOGIN_ERR_INVALID_ARGUMENT', 'The uid must be 1–64 characters of the allowed set and not "null".');
  if (token !== undefined && token !== null && typeof token !== 'string') {
    throw rtmError('LOGIN_ERR_INVALID_ARGUMENT', 'The token must be a string.');
  }
  return { uid, token: token ?? null };
}

/**
 * Who this client logs in as and the session it may resume: the uid and token of the login, and
 * the session ID and resume secret the server issued (`session:ready`). Every (re)connection's
 * handshake is made from them.
 */
export class SessionCredentials {
  uid: string | null = null;
  token: string | null = null;
  #sessionId: string | null = null;
  /** Proves this client owns the session when resuming; never sent anywhere but the handshake. */
  #resumeSecret: string | null = null;

  get sessionId(): string | null {
    return this.#sessionId;
  }

  /** A new login: no session to resume yet. An empty token is no token. */
  start(uid: string, token: string | null | undefined): void {
    this.uid = uid;
    this.token = token === undefined || token === null || token === '' ? null : token;
    this.forgetSession();
  }

  /** The server opened or resumed a session. An older server sends no secret: then none is kept. */
  adopt(info: SessionReady): void {
    this.#sessionId = info.sessionId;
    this.#resumeSecret = typeof info.resumeSecret === 'string' ? info.resumeSecret : null;
  }

  /** The session is gone; the next connection logs in afresh. */
  forgetSession(): void {
    this.#sessionId = null;
    this.#resumeSecret = null;
  }

  clear(): void {
    this.uid = null;
    this.token = null;
    this.forgetSession();
  }

  /**
   * What an HTTP request (media uploads and downloads) presents to act as this session, or null
   * without one. The session ID is an unguessable secret the server checks against its store;
   * the resume secret never goes into HTTP requests.
   */
  httpSession(serverUrl: string, appId: string, socket: TransportSocket | null): HttpSession | null {
    if (this.uid === null || this.#sessionId === null) return null;
    const fetch = socket?.fetch === undefined ? undefined : socket.fetch.bind(socket);
    return { serverUrl, appId, uid: this.uid, sessionId: this.#sessionId, fetch };
  }

  auth(appId: string): AuthPayload {
    return { v: PROTOCOL_VERSION, appId, uid: this.uid ?? '', token: this.token, sessionId: this.#sessionId, resumeSecret: this.#resumeSecret };
  }
}
