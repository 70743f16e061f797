import {
  isValidUserId,
  resolveLimits,
  PROTOCOL_VERSION,
  type Ack,
  type ClientEventName,
  type ConnectErrorData,
  type ConnectionChangeReason,
  type ConnectionState,
  type ErrorCodeName,
  type Limits,
  type RequestPayload,
  type RequestResult,
  type ServerEventArgs,
  type ServerEventName,
  type SessionEndReason,
  type SessionReady,
} from '@rtm-kit/protocol';
import type { Logger, ResolvedConfig } from './config.js';
import { fromWire, rtmError, type RtmError } from './errors.js';
import type { TransportSocket } from './transport.js';
import type { HttpSession } from './media-http.js';

export interface ConnectionEvents {
  stateChanged(state: ConnectionState, reason: ConnectionChangeReason): void;
  tokenExpired(): void;
  tokenWillExpire(): void;
}

/**
 * What domains (channels, presence, attributes ...) do around the session. `ready` runs before
 * the client reports CONNECTED after a reconnect, so an app that sees CONNECTED finds its
 * channels joined again; `closed` runs at logout and when the server ends the session.
 */
export interface SessionHooks {
  ready?(info: { readonly resumed: boolean; readonly initial: boolean }): void | Promise<void>;
  closed?(reason: 'LOGOUT' | SessionEndReason): void;
}

export interface RequestOptions {
  readonly timeoutMs: number;
  /** While RECONNECTING, wait for the connection instead of failing (messages, §9.2). */
  readonly waitForReconnect?: boolean;
  /** If the connection drops before the answer, send again once it is back (payload must be idempotent). */
  readonly resendOnReconnect?: boolean;
  /**
   * Part of restoring the session after a reconnect (a `ready` hook): sent at once, while every
   * other request waits until the restore is over, so an app's request never overtakes the
   * re-join it depends on.
   */
  readonly restore?: boolean;
  readonly errors: {
    readonly notLoggedIn: ErrorCodeName;
    readonly timeout: ErrorCodeName;
    readonly failure: ErrorCodeName;
  };
}

interface InFlight {
  readonly event: string;
  readonly payload: unknown;
  readonly resend: boolean;
  answered: boolean;
  needsResend: boolean;
  onAck(res: Ack<unknown>): void;
}

/**
 * The connection state machine of agora-rtm-sdk 1.x (spec §9.1) over one transport socket:
 * login, silent resume, RECONNECTING after 4 s without a connection, ABORTED when the server
 * ends the session, and logout from any state.
 */
export class Connection {
  state: ConnectionState = 'DISCONNECTED';
  /** Why the state last changed; null before the first change. */
  reason: ConnectionChangeReason | null = null;
  uid: string | null = null;
  /**
   * The limits the server enforces, learned at each login; the defaults until then. Client-side
   * checks read these so a server with raised or lowered `limits` and its clients agree.
   */
  limits: Limits = resolveLimits();

  readonly #appId: string;
  readonly #config: ResolvedConfig;
  readonly #log: Logger;
  readonly #events: ConnectionEvents;
  readonly #hooks: SessionHooks[] = [];
  readonly #serverHandlers = new Map<string, Set<(...args: never[]) => void>>();
  readonly #readyWaiters = new Set<(ok: boolean) => void>();
  readonly #inFlight = new Set<InFlight>();

  #socket: TransportSocket | null = null;
  #token: string | null = null;
  #sessionId: string | null = null;
  /** Proves this client owns `#sessionId` when resuming; never sent anywhere but the handshake. */
  #resumeSecret: string | null = null;
  #ready = false;
  /** True while the `ready` hooks restore state after a reconnect. */
  #restoring = false;
  #lastLoginAt = -Infinity;
  #login: { resolve(): void; reject(e: RtmError): void; timer: ReturnType<typeof setTimeout> } | null = null;
  #pendingLogin: Promise<void> | null = null;
  #interruptTimer: ReturnType<typeof setTimeout> | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #retryDelay = 0;
  #awaitingToken = false;
  #closing = false;

  constructor(appId: string, config: ResolvedConfig, log: Logger, events: ConnectionEvents) {
    this.#appId = appId;
    this.#config = config;
    this.#log = log;
    this.#events = events;
  }

  get timing() {
    return this.#config.timing;
  }

  /**
   * Logged in as far as the app is concerned: CONNECTED, or RECONNECTING (requests then wait for
   * the connection). Operations that need a session check this before anything else.
   */
  get isLoggedIn(): boolean {
    return this.state === 'CONNECTED' || this.state === 'RECONNECTING';
  }

  /** True when requests can be sent now. */
  get isReady(): boolean {
    return this.#ready;
  }

  /**
   * What an HTTP request (media uploads and downloads) presents to act as this session, or null
   * without one. The session ID is an unguessable secret the server checks against its store.
   */
  get httpSession(): HttpSession | null {
    if (this.uid === null || this.#sessionId === null) return null;
    if (this.state !== 'CONNECTED' && this.state !== 'RECONNECTING') return null;
    const socket = this.#socket;
    const fetch = socket?.fetch === undefined ? undefined : socket.fetch.bind(socket);
    return { serverUrl: this.#config.serverUrl, appId: this.#appId, uid: this.uid, sessionId: this.#sessionId, fetch };
  }

  addHooks(hooks: SessionHooks): void {
    this.#hooks.push(hooks);
  }

  /** Listen to a server event on the current and every later socket. */
  onServer<E extends ServerEventName>(event: E, handler: (...args: ServerEventArgs<E>) => void): void {
    let set = this.#serverHandlers.get(event);
    if (!set) {
      set = new Set();
      this.#serverHandlers.set(event, set);
    }
    set.add(handler as unknown as (...args: never[]) => void);
    this.#socket?.on(event, handler as unknown as (...args: never[]) => void);
  }

  async login(uid: unknown, token: unknown): Promise<void> {
    if (!isValidUserId(uid)) throw rtmError('LOGIN_ERR_INVALID_ARGUMENT', 'The uid must be 1–64 characters of the allowed set and not "null".');
    if (token !== undefined && token !== null && typeof token !== 'string') {
      throw rtmError('LOGIN_ERR_INVALID_ARGUMENT', 'The token must be a string.');
    }
    const now = Date.now();
    const tooSoon = now - this.#lastLoginAt < this.#config.timing.loginMinIntervalMs;
    this.#lastLoginAt = now;
    if (tooSoon) throw rtmError('LOGIN_ERR_TOO_OFTEN', 'login may be called at most 2 times per second.');
    if (this.state !== 'DISCONNECTED') {
      throw rtmError('LOGIN_ERR_ALREADY_LOGIN', `Cannot log in while ${this.state}; log out first.`);
    }

    this.uid = uid;
    this.#token = token === undefined || token === null || token === '' ? null : token;
    this.#forgetSession();
    this.#awaitingToken = false;
    this.#retryDelay = 0;
    this.#setState('CONNECTING', 'LOGIN');
    const socket = this.#openSocket();
    this.#pendingLogin = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#failLogin(rtmError('LOGIN_ERR_TIMEOUT', `Logging in timed out after ${this.#config.timing.loginTimeoutMs / 1000}s.`), 'LOGIN_TIMEOUT');
      }, this.#config.timing.loginTimeoutMs);
      this.#login = { resolve, reject, timer };
    });
    socket.connect();
    try {
      await this.#pendingLogin;
    } finally {
      this.#pendingLogin = null;
    }
  }

  async logout(): Promise<void> {
    if (this.state === 'CONNECTING' && this.#pendingLogin) {
      // Like the Web SDK, a logout during login waits for the login to settle.
      await this.#pendingLogin.catch(() => undefined);
    }
    switch (this.state) {
      case 'DISCONNECTED':
      case 'CONNECTING':
        throw rtmError('LOGOUT_ERR_USER_NOT_LOGGED_IN', 'Not logged in.');
      case 'ABORTED':
        this.#reset();
        this.#setState('DISCONNECTED', 'LOGOUT');
        return;
      case 'CONNECTED':
      case 'RECONNECTING': {
        this.#closing = true;
        if (this.#ready) {
          // Best effort: the server ends the session at once instead of after the grace period.
          await this.request('session:logout', {}, {
            timeoutMs: 3_000,
            errors: { notLoggedIn: 'LOGOUT_ERR_USER_NOT_LOGGED_IN', timeout: 'LOGOUT_ERR_USER_NOT_LOGGED_IN', failure: 'LOGOUT_ERR_USER_NOT_LOGGED_IN' },
          }).catch(() => undefined);
        }
        this.#reset();
        this.#runClosed('LOGOUT');
        this.#setState('DISCONNECTED', 'LOGOUT');
        return;
      }
      default: {
        const unreachable: never = this.state;
        throw new Error(`unknown state ${String(unreachable)}`);
      }
    }
  }

  async renewToken(token: unknown): Promise<void> {
    if (typeof token !== 'string' || token === '') {
      throw rtmError('RENEW_TOKEN_ERR_INVALID_ARGUMENT', 'The token must be a non-empty string.');
    }
    if (this.state === 'RECONNECTING' || (this.state === 'CONNECTED' && !this.#ready)) {
      // Used by the next (re)connection; a session that ended because its token expired is
      // logged in again with this one.
      this.#token = token;
      if (this.#awaitingToken) {
        this.#awaitingToken = false;
        this.#socket?.connect();
      }
      return;
    }
    if (this.state !== 'CONNECTED') {
      // Choice: in ABORTED the Web runtime returns a promise that never settles (§11.8); a
      // rejection the app can handle is more useful and no app can depend on a hang.
      throw rtmError('RENEW_TOKEN_ERR_USER_NOT_LOGGED_IN', `Cannot renew the token while ${this.state}.`);
    }
    await this.request('session:renewToken', { token }, {
      timeoutMs: this.#config.timing.renewTokenTimeoutMs,
      errors: { notLoggedIn: 'RENEW_TOKEN_ERR_USER_NOT_LOGGED_IN', timeout: 'RENEW_TOKEN_ERR_FAILURE', failure: 'RENEW_TOKEN_ERR_FAILURE' },
    });
    this.#token = token;
  }

  /** Send a request and resolve with its data, or reject with the operation's error. */
  async request<E extends ClientEventName>(event: E, payload: RequestPayload<E>, options: RequestOptions): Promise<RequestResult<E>> {
    const started = Date.now();
    if (this.#ready && this.#restoring && options.restore !== true) {
      // Wait for the re-joins and re-subscriptions; the state says RECONNECTING meanwhile.
      const restored = await this.#waitReady(options.timeoutMs);
      if (!restored) {
        if (this.state === 'RECONNECTING' || this.state === 'CONNECTED') {
          throw rtmError(options.errors.timeout, `Executing "${event}" timed out while the session was being restored.`);
        }
        throw rtmError(options.errors.notLoggedIn, 'Not logged in.');
      }
    } else if (!this.#ready) {
      const mayWait = options.waitForReconnect === true && (this.state === 'RECONNECTING' || this.state === 'CONNECTED');
      if (!mayWait) throw rtmError(options.errors.notLoggedIn, 'Not logged in.');
      const back = await this.#waitReady(Math.min(this.#config.timing.reconnectWaitMs, options.timeoutMs));
      if (!back) {
        if (this.state === 'RECONNECTING' || this.state === 'CONNECTED') {
          throw rtmError(options.errors.timeout, `The connection did not come back within ${this.#config.timing.reconnectWaitMs / 1000}s.`);
        }
        throw rtmError(options.errors.notLoggedIn, 'Not logged in.');
      }
    }
    const remaining = Math.max(0, options.timeoutMs - (Date.now() - started));
    return new Promise<RequestResult<E>>((resolve, reject) => {
      const flight: InFlight = {
        event,
        payload,
        resend: options.resendOnReconnect === true,
        answered: false,
        needsResend: false,
        onAck: (res) => {
          if (flight.answered) return;
          flight.answered = true;
          clearTimeout(timer);
          this.#inFlight.delete(flight);
          if (res.ok) resolve(res.data as RequestResult<E>);
          else reject(fromWire(res.error, options.errors.failure));
        },
      };
      const timer = setTimeout(() => {
        if (flight.answered) return;
        flight.answered = true;
        this.#inFlight.delete(flight);
        reject(rtmError(options.errors.timeout, `Executing "${event}" timed out after ${Math.round(options.timeoutMs / 1000)}s.`));
      }, remaining);
      this.#inFlight.add(flight);
      this.#send(flight);
    });
  }

  #send(flight: InFlight): void {
    this.#socket?.emit(flight.event, flight.payload, (res: Ack<unknown>) => flight.onAck(res));
  }

  #openSocket(): TransportSocket {
    this.#closeSocket();
    const socket = this.#config.transport({
      url: this.#config.serverUrl,
      auth: () => ({
        v: PROTOCOL_VERSION,
        appId: this.#appId,
        uid: this.uid ?? '',
        token: this.#token,
        sessionId: this.#sessionId,
        resumeSecret: this.#resumeSecret,
      }),
      reconnectDelayMs: this.#config.timing.reconnectDelayMs,
      reconnectDelayMaxMs: this.#config.timing.reconnectDelayMaxMs,
    });
    this.#socket = socket;
    const mine = <A extends unknown[]>(fn: (...args: A) => void) => (...args: A) => {
      if (this.#socket === socket) fn(...args);
    };
    socket.on('session:ready', mine((info: SessionReady) => void this.#onReady(info)));
    socket.on('session:ended', mine((info: { reason: SessionEndReason }) => this.#onEnded(info.reason, false)));
    socket.on('session:tokenWillExpire', mine(() => this.#events.tokenWillExpire()));
    socket.on('connect_error', mine((err: Error & { data?: ConnectErrorData }) => this.#onConnectError(err)));
    socket.on('disconnect', mine((reason: string) => this.#onDisconnect(reason)));
    for (const [event, handlers] of this.#serverHandlers) for (const h of handlers) socket.on(event, h);
    return socket;
  }

  async #onReady(info: SessionReady): Promise<void> {
    this.#sessionId = info.sessionId;
    // An older server sends none; its sessions then resume by ID alone.
    this.#resumeSecret = typeof info.resumeSecret === 'string' ? info.resumeSecret : null;
    // An older server may not send its limits; keep what we have then.
    if (typeof info.limits === 'object' && info.limits !== null) this.limits = resolveLimits(info.limits);
    this.#retryDelay = 0;
    this.#clearInterrupt();
    if (this.#login) {
      const login = this.#login;
      this.#login = null;
      clearTimeout(login.timer);
      this.#ready = true;
      this.#setState('CONNECTED', 'LOGIN_SUCCESS');
      login.resolve();
      await this.#runReady({ resumed: false, initial: true });
      return;
    }
    this.#ready = true;
    // Re-join channels, re-apply attributes and subscriptions before reporting CONNECTED; the
    // app's own requests wait meanwhile (see RequestOptions.restore).
    this.#restoring = true;
    try {
      await this.#runReady({ resumed: info.resumed, initial: false });
    } finally {
      this.#restoring = false;
    }
    if (this.#socket === null || this.state === 'ABORTED' || this.state === 'DISCONNECTED') return;
    if (this.state !== 'CONNECTED') this.#setState('CONNECTED', 'LOGIN_SUCCESS');
    for (const flight of this.#inFlight) {
      if (flight.needsResend && !flight.answered) {
        flight.needsResend = false;
        this.#send(flight);
      }
    }
    for (const waiter of this.#readyWaiters) waiter(true);
    this.#readyWaiters.clear();
  }

  #onConnectError(err: Error & { data?: ConnectErrorData }): void {
    const data = err.data;
    if (this.#login) {
      if (data) {
        const name = (LOGIN_CODES.has(data.name) ? data.name : 'LOGIN_ERR_UNKNOWN') as ErrorCodeName;
        this.#failLogin(rtmError(name, data.message), 'LOGIN_FAILURE');
      } else {
        this.#retryIfIdle();
      }
      return;
    }
    if (data?.ended) {
      this.#onEnded(data.ended, true);
    } else if (data?.name === 'LOGIN_ERR_TOKEN_EXPIRED' || data?.name === 'LOGIN_ERR_INVALID_TOKEN') {
      // The old session is gone and a fresh login needs a new token: wait for renewToken.
      this.#forgetSession();
      this.#enterReconnecting();
      this.#awaitingToken = true;
      this.#events.tokenExpired();
    } else {
      if (data) this.#log.warn(`reconnecting was refused (${data.name}); retrying`);
      // The server would not let this client resume its session: log in afresh instead of
      // asking again forever.
      if (data?.name === 'LOGIN_ERR_NOT_AUTHORIZED') this.#forgetSession();
      this.#retryIfIdle();
    }
  }

  /** socket.io retries transport errors by itself; after a refused handshake we retry. */
  #retryIfIdle(): void {
    const socket = this.#socket;
    if (!socket || socket.active || this.#retryTimer !== null) return;
    const { reconnectDelayMs, reconnectDelayMaxMs } = this.#config.timing;
    this.#retryDelay = Math.min(reconnectDelayMaxMs, this.#retryDelay === 0 ? reconnectDelayMs : this.#retryDelay * 2);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      if (this.#socket === socket && !this.#awaitingToken) socket.connect();
    }, this.#retryDelay);
  }

  #onDisconnect(reason: string): void {
    this.#ready = false;
    if (this.#closing || this.state === 'ABORTED' || this.state === 'DISCONNECTED') return;
    for (const flight of this.#inFlight) if (flight.resend && !flight.answered) flight.needsResend = true;
    if (this.#login) return; // the login timeout decides
    if (reason === 'io server disconnect') {
      // The server closed the connection without saying why: an unknown kick (§9.1).
      this.#onEnded('INTERRUPTED', false);
      return;
    }
    if (this.state === 'CONNECTED' && this.#interruptTimer === null) {
      this.#interruptTimer = setTimeout(() => {
        this.#interruptTimer = null;
        if (!this.#ready) this.#enterReconnecting();
      }, this.#config.timing.interruptionMs);
    }
  }

  #onEnded(reason: SessionEndReason, duringReconnect: boolean): void {
    if (this.state === 'ABORTED' || this.state === 'DISCONNECTED') return;
    this.#forgetSession();
    if (reason === 'TOKEN_EXPIRED' && duringReconnect) {
      // §9.1: TokenExpired while RECONNECTING does not change the state; renewToken logs in again.
      this.#enterReconnecting();
      this.#awaitingToken = true;
      this.#events.tokenExpired();
      return;
    }
    this.#ready = false;
    this.#closeSocket();
    this.#clearInterrupt();
    this.#rejectWaiters();
    this.#runClosed(reason);
    this.#setState('ABORTED', reason);
    if (reason === 'TOKEN_EXPIRED') this.#events.tokenExpired();
  }

  #enterReconnecting(): void {
    this.#clearInterrupt();
    if (this.state === 'CONNECTED') this.#setState('RECONNECTING', 'INTERRUPTED');
  }

  #failLogin(error: RtmError, reason: 'LOGIN_FAILURE' | 'LOGIN_TIMEOUT'): void {
    const login = this.#login;
    if (!login) return;
    this.#login = null;
    clearTimeout(login.timer);
    this.#closeSocket();
    this.uid = null;
    this.#token = null;
    this.#setState('DISCONNECTED', reason);
    login.reject(error);
  }

  #waitReady(ms: number): Promise<boolean> {
    if (this.#ready && !this.#restoring) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.#readyWaiters.delete(done);
        resolve(ok);
      };
      const timer = setTimeout(() => done(false), ms);
      this.#readyWaiters.add(done);
    });
  }

  #rejectWaiters(): void {
    for (const waiter of [...this.#readyWaiters]) waiter(false);
    this.#readyWaiters.clear();
  }

  async #runReady(info: { resumed: boolean; initial: boolean }): Promise<void> {
    await Promise.all(
      this.#hooks.map(async (h) => {
        try {
          await h.ready?.(info);
        } catch (error) {
          this.#log.error('restoring state after reconnecting failed', error);
        }
      }),
    );
  }

  #runClosed(reason: 'LOGOUT' | SessionEndReason): void {
    for (const h of this.#hooks) {
      try {
        h.closed?.(reason);
      } catch (error) {
        this.#log.error('clearing session state failed', error);
      }
    }
  }

  #reset(): void {
    this.#closeSocket();
    this.#clearInterrupt();
    this.#rejectWaiters();
    for (const flight of [...this.#inFlight]) flight.onAck({ ok: false, error: { code: 0, name: 'INTERNAL', message: 'Logged out.' } });
    this.#inFlight.clear();
    this.#ready = false;
    this.#forgetSession();
    this.#token = null;
    this.#awaitingToken = false;
    this.#closing = false;
    this.uid = null;
  }

  #forgetSession(): void {
    this.#sessionId = null;
    this.#resumeSecret = null;
  }

  #closeSocket(): void {
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    const socket = this.#socket;
    this.#socket = null;
    socket?.disconnect();
  }

  #clearInterrupt(): void {
    if (this.#interruptTimer !== null) clearTimeout(this.#interruptTimer);
    this.#interruptTimer = null;
  }

  #setState(state: ConnectionState, reason: ConnectionChangeReason): void {
    this.state = state;
    this.reason = reason;
    this.#log.info(`connection state ${state} (${reason})`);
    this.#events.stateChanged(state, reason);
  }
}

/** Login errors a refused handshake may carry; a Set, so a name like "__proto__" is no member. */
const LOGIN_CODES: ReadonlySet<string> = new Set([
  'LOGIN_ERR_UNKNOWN',
  'LOGIN_ERR_REJECTED',
  'LOGIN_ERR_INVALID_ARGUMENT',
  'LOGIN_ERR_INVALID_APP_ID',
  'LOGIN_ERR_INVALID_TOKEN',
  'LOGIN_ERR_TOKEN_EXPIRED',
  'LOGIN_ERR_NOT_AUTHORIZED',
  'LOGIN_ERR_ALREADY_LOGIN',
  'LOGIN_ERR_TOO_OFTEN',
]);
