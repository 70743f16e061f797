import { DEFAULT_CLIENT_TIMING, RtmErrorCode, type ConnectionChangeReason, type ConnectionState, type RtmError } from '@rtm-kit/client';
import { singleFlight } from '../single-flight.js';
import { toRtmError, type Slice, type SliceContext } from '../slice.js';

/**
 * Where a login token comes from: a string, nothing (apps without a certificate), or a function
 * called for every login and again when the server warns that the token is about to expire.
 */
export type TokenSource = string | null | (() => string | null | undefined | Promise<string | null | undefined>);

/** A request to be logged in as `uid` for as long as the returned lease is held. */
export interface SessionRequest {
  readonly uid: string;
  readonly token?: TokenSource;
}

/** The client's connection as the UI shows it. */
export interface ConnectionInfo {
  /** The 1.x connection state (spec §7.1). */
  readonly state: ConnectionState;
  /** Why it last changed (spec §7.2); `null` before the first change. */
  readonly reason: ConnectionChangeReason | null;
  /** The user the store logged in as, while not DISCONNECTED. */
  readonly uid: string | null;
  /** The last failed login or token renewal, cleared by the next successful login. */
  readonly error: RtmError | null;
}

export interface ConnectionSlice {
  readonly connection: ConnectionInfo;
  /**
   * Be logged in as `request.uid` while the returned release has not been called. The newest
   * request wins: a different uid logs the current user out and the new one in. After the
   * last release (and the store's release delay) the user is logged out.
   */
  acquireSession(request: SessionRequest): () => void;
  /** Ask the current token source again and renew the token if it changed. */
  renewSessionToken(): Promise<void>;
}

const INITIAL_CONNECTION: ConnectionInfo = Object.freeze({ state: 'DISCONNECTED', reason: null, uid: null, error: null });

const MAX_STEPS = 8;
const LOGIN_TOO_OFTEN = RtmErrorCode.LoginError.LOGIN_ERR_TOO_OFTEN;
/** Logins must be `loginMinIntervalMs` apart (spec §10.5); a little more, so a retry is never early. */
const LOGIN_RETRY_DELAY_MS = DEFAULT_CLIENT_TIMING.loginMinIntervalMs + 50;
const LOGIN_RETRIES = 3;

async function resolveToken(source: TokenSource | undefined): Promise<string | undefined> {
  const token = typeof source === 'function' ? await source() : source;
  return typeof token === 'string' && token !== '' ? token : undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The connection slice: mirrors `ConnectionStateChanged`, and reconciles the client's session
 * with the held session requests one step at a time (never two logins or logouts at once).
 */
export function createConnectionSlice(ctx: SliceContext): Slice<ConnectionSlice> {
  const { client } = ctx;
  const holders = new Map<number, SessionRequest>();
  let holderSeq = 0;
  let desired: SessionRequest | null = null;
  let dropTimer: ReturnType<typeof setTimeout> | null = null;
  let loggedInAs: string | null = null;
  let lastToken: string | undefined;
  let failed: SessionRequest | null = null;
  let abortRetried: SessionRequest | null = null;

  const setConnection = (patch: Partial<ConnectionInfo>) => ctx.set((s) => ({ connection: { ...s.connection, ...patch } }));

  // Before the first step, requests made in the same tick settle: Strict Mode's
  // acquire-release-acquire then costs one login and one call of the token function, not two.
  const reconcile = singleFlight(() => step(), MAX_STEPS, () => Promise.resolve());

  /**
   * Logs the client out. `dropData` clears the session's data first, for a logout that ends a
   * user's session (a switch or a release): the acknowledgement takes a round trip, and the
   * previous user's data must not be shown meanwhile (the UI may already show the next user).
   */
  async function logout(dropData: boolean): Promise<void> {
    if (dropData) ctx.dropSessionData();
    await client.logout().catch(() => undefined);
    loggedInAs = null;
    lastToken = undefined;
    // A deferred logout often runs after the UI detached (an unmounted or hidden provider).
    ctx.catchUpIfDetached();
  }

  async function step(): Promise<void> {
    const want = desired;
    const state = client.connectionState;
    if (want === null) {
      if (state !== 'DISCONNECTED') await logout(true);
      return;
    }
    if (state !== 'DISCONNECTED' && loggedInAs !== want.uid) {
      await logout(true);
      reconcile.again();
      return;
    }
    if (state === 'DISCONNECTED') {
      if (failed === want) return; // a failed login is not retried until the request changes
      await login(want);
      if (desired !== want) reconcile.again();
      return;
    }
    // Same user. A new string token replaces the current one.
    if (state === 'CONNECTED' && typeof want.token === 'string' && want.token !== lastToken) {
      await renew(want);
      return;
    }
    // A session ended by an expired token is started again when a token function can supply a
    // fresh token; other ends (remote login, ban) stay visible: logging in again would kick
    // the other session in turn.
    if (
      state === 'ABORTED' &&
      ctx.get().connection.reason === 'TOKEN_EXPIRED' &&
      typeof want.token === 'function' &&
      abortRetried !== want
    ) {
      abortRetried = want;
      await logout(false);
      reconcile.again();
    }
  }

  async function login(want: SessionRequest): Promise<void> {
    try {
      const token = await resolveToken(want.token);
      if (desired !== want) return;
      for (let attempt = 0; ; attempt++) {
        try {
          loggedInAs = want.uid;
          await client.login(token === undefined ? { uid: want.uid } : { uid: want.uid, token });
          break;
        } catch (error) {
          loggedInAs = null;
          if ((error as RtmError).code !== LOGIN_TOO_OFTEN || attempt >= LOGIN_RETRIES) throw error;
          await sleep(LOGIN_RETRY_DELAY_MS);
          if (desired !== want) return;
        }
      }
      lastToken = token;
      setConnection({ uid: want.uid, error: null });
    } catch (error) {
      failed = want;
      setConnection({ error: toRtmError(error) });
    }
  }

  function renewSessionToken(): Promise<void> {
    return desired === null ? Promise.resolve() : renew(desired);
  }

  async function renew(want: SessionRequest): Promise<void> {
    if (loggedInAs !== want.uid) return;
    const state = client.connectionState;
    if (state !== 'CONNECTED' && state !== 'RECONNECTING') return;
    try {
      const token = await resolveToken(want.token);
      if (token === undefined || token === lastToken || desired !== want) return;
      await client.renewToken(token);
      lastToken = token;
    } catch (error) {
      setConnection({ error: toRtmError(error) });
    }
  }

  function acquireSession(request: SessionRequest): () => void {
    const id = ++holderSeq;
    holders.set(id, request);
    if (dropTimer !== null) clearTimeout(dropTimer);
    dropTimer = null;
    desired = request;
    void reconcile();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      holders.delete(id);
      const newest = [...holders.values()].at(-1);
      if (newest !== undefined) {
        desired = newest;
        void reconcile();
        return;
      }
      dropTimer = setTimeout(() => {
        dropTimer = null;
        if (holders.size > 0) return;
        desired = null;
        void reconcile();
      }, ctx.options.releaseDelayMs);
    };
  }

  return {
    state: { connection: INITIAL_CONNECTION, acquireSession, renewSessionToken },
    attach() {
      const onWillExpire = () => void renewSessionToken();
      client.on('TokenPrivilegeWillExpire', onWillExpire);
      client.on('TokenExpired', onWillExpire);
      return () => {
        client.off('TokenPrivilegeWillExpire', onWillExpire);
        client.off('TokenExpired', onWillExpire);
      };
    },
    connectionChanged(state, reason) {
      if (state === 'DISCONNECTED') {
        loggedInAs = null;
        lastToken = undefined;
      }
      setConnection({ state, reason, uid: state === 'DISCONNECTED' ? null : (loggedInAs ?? ctx.get().connection.uid) });
      if ((state === 'DISCONNECTED' || state === 'ABORTED') && desired !== null) void reconcile();
    },
  };
}
