import {
  RtmErrorCode,
  resolveLimits,
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
import { rtmError, type RtmError } from './errors.js';
import type { TransportSocket } from './transport.js';
import type { HttpSession } from './media-http.js';
import { Requests, ServerListeners, type RequestOptions } from './requests.js';
import { Backoff } from './backoff.js';
import { checkLoginArguments, SessionCredentials } from './credentials.js';
import { SessionHookList, type ConnectionEvents, type SessionHooks } from './session-hooks.js';

/**
 * The connection state machine of agora-rtm-sdk 1.x (spec §9.1) over one transport socket:
 * login, silent resume, RECONNECTING after 4 s without a connection, ABORTED when the server
 * ends the session, and logout from any state. Requests go through its pipeline (`requests.ts`).
 */
export class Connection {
  state: ConnectionState = 'DISCONNECTED';
  /** Why the state last changed; null before the first change. */
  reason: ConnectionChangeReason | null = null;
  /**
   * The limits the server enforces, learned at each login; the defaults until then. Client-side
   * checks read these so a server with raised or lowered `limits` and its clients agree.
   */
  limits: Limits = resolveLimits();

  readonly #appId: string;
  readonly #config: ResolvedConfig;
  readonly #log: Logger;
  readonly #events: ConnectionEvents;
  readonly #hooks: SessionHookList;
  readonly #retry: Backoff;
  readonly #serverListeners = new ServerListeners();
  readonly #requests: Requests;

  #socket: TransportSocket | null = null;
  readonly #credentials = new SessionCredentials();
  #lastLoginAt = -Infinity;
  #login: { resolve(): void; reject(e: RtmError): void; timer: ReturnType<typeof setTimeout> } | null = null;
  #pendingLogin: Promise<void> | null = null;
  #interruptTimer: ReturnType<typeof setTimeout> | null = null;
  #awaitingToken = false;
  #closing = false;

  constructor(appId: string, config: ResolvedConfig, log: Logger, events: ConnectionEvents) {
    this.#appId = appId;
    this.#config = config;
    this.#log = log;
    this.#events = events;
    this.#hooks = new SessionHookList(log);
    this.#retry = new Backoff(config.timing.reconnectDelayMs, config.timing.reconnectDelayMaxMs);
    this.#requests = new Requests((event, payload, onAck) => this.#socket?.emit(event, payload, onAck), {
      loggedIn: () => this.isLoggedIn,
      reconnectWaitMs: () => this.#config.timing.reconnectWaitMs,
    });
  }

  /** The user this client is logged in as (or logging in as); null when logged out. */
  get uid(): string | null {
    return this.#credentials.uid;
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
    return this.#requests.ready;
  }

  /** What a media request presents to act as this session (see `SessionCredentials.httpSession`). */
  get httpSession(): HttpSession | null {
    if (this.state !== 'CONNECTED' && this.state !== 'RECONNECTING') return null;
    return this.#credentials.httpSession(this.#config.serverUrl, this.#appId, this.#socket);
  }

  addHooks(hooks: SessionHooks): void {
    this.#hooks.add(hooks);
  }

  /** Listen to a server event on the current and every later socket. */
  onServer<E extends ServerEventName>(event: E, handler: (...args: ServerEventArgs<E>) => void): void {
    this.#serverListeners.add(event, handler as unknown as (...args: never[]) => void, this.#socket);
  }

  async login(uidArgument: unknown, tokenArgument: unknown): Promise<void> {
    const { uid, token } = checkLoginArguments(uidArgument, tokenArgument);
    const now = Date.now();
    const tooSoon = now - this.#lastLoginAt < this.#config.timing.loginMinIntervalMs;
    this.#lastLoginAt = now;
    if (tooSoon) throw rtmError('LOGIN_ERR_TOO_OFTEN', 'login may be called at most 2 times per second.');
    if (this.state !== 'DISCONNECTED') {
      throw rtmError('LOGIN_ERR_ALREADY_LOGIN', `Cannot log in while ${this.state}; log out first.`);
    }

    this.#credentials.start(uid, token);
    this.#awaitingToken = false;
    this.#retry.reset();
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
        if (this.#requests.ready) {
          // Best effort: the server ends the session at once instead of after the grace period.
          await this.request('session:logout', {}, { timeoutMs: 3_000 }).catch(() => undefined);
        }
        this.#reset();
        this.#hooks.closed('LOGOUT');
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
    if (this.state === 'RECONNECTING' || (this.state === 'CONNECTED' && !this.#requests.ready)) {
      // Used by the next (re)connection; a session that ended because its token expired is
      // logged in again with this one.
      this.#credentials.token = token;
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
    await this.request('session:renewToken', { token }, { timeoutMs: this.#config.timing.renewTokenTimeoutMs });
    this.#credentials.token = token;
  }

  /** Send a request and resolve with its data, or reject with the operation's error (see `Requests`). */
  request<E extends ClientEventName>(event: E, payload: RequestPayload<E>, options: RequestOptions): Promise<RequestResult<E>> {
    return this.#requests.request(event, payload, options);
  }

  #openSocket(): TransportSocket {
    this.#closeSocket();
    const socket = this.#config.transport({
      url: this.#config.serverUrl,
      auth: () => this.#credentials.auth(this.#appId),
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
    this.#serverListeners.attach(socket);
    return socket;
  }

  async #onReady(info: SessionReady): Promise<void> {
    this.#credentials.adopt(info);
    // An older server may not send its limits; keep what we have then.
    if (typeof info.limits === 'object' && info.limits !== null) this.limits = resolveLimits(info.limits);
    // An older server does not say; the client fetches then.
    const heldPeerMessages = info.heldPeerMessages !== false;
    this.#retry.reset();
    this.#clearInterrupt();
    if (this.#login) {
      const login = this.#login;
      this.#login = null;
      clearTimeout(login.timer);
      this.#requests.ready = true;
      this.#setState('CONNECTED', 'LOGIN_SUCCESS');
      login.resolve();
      await this.#hooks.ready({ resumed: false, initial: true, heldPeerMessages });
      return;
    }
    this.#requests.ready = true;
    // Re-join channels, re-apply attributes and subscriptions before reporting CONNECTED; the
    // app's own requests wait meanwhile (see RequestOptions.restore).
    this.#requests.restoring = true;
    try {
      await this.#hooks.ready({ resumed: info.resumed, initial: false, heldPeerMessages });
    } finally {
      this.#requests.restoring = false;
    }
    if (this.#socket === null || this.state === 'ABORTED' || this.state === 'DISCONNECTED') return;
    if (this.state !== 'CONNECTED') this.#setState('CONNECTED', 'LOGIN_SUCCESS');
    this.#requests.resumed();
  }

  #onConnectError(err: Error & { data?: ConnectErrorData }): void {
    const data = err.data;
    if (this.#login) {
      if (data) {
        // Own keys of the 1.x LoginError group only: a name like "__proto__" is no login code.
        const name = (Object.hasOwn(RtmErrorCode.LoginError, data.name) ? data.name : 'LOGIN_ERR_UNKNOWN') as ErrorCodeName;
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
      this.#credentials.forgetSession();
      this.#enterReconnecting();
      this.#awaitingToken = true;
      this.#events.tokenExpired();
    } else {
      if (data) this.#log.warn(`reconnecting was refused (${data.name}); retrying`);
      // The server would not let this client resume its session: log in afresh instead of
      // asking again forever.
      if (data?.name === 'LOGIN_ERR_NOT_AUTHORIZED') this.#credentials.forgetSession();
      this.#retryIfIdle();
    }
  }

  /** socket.io retries transport errors by itself; after a refused handshake we retry. */
  #retryIfIdle(): void {
    const socket = this.#socket;
    if (!socket || socket.active) return;
    this.#retry.schedule(() => {
      if (this.#socket === socket && !this.#awaitingToken) socket.connect();
    });
  }

  #onDisconnect(reason: string): void {
    this.#requests.ready = false;
    if (this.#closing || this.state === 'ABORTED' || this.state === 'DISCONNECTED') return;
    this.#requests.disconnected();
    if (this.#login) return; // the login timeout decides
    if (reason === 'io server disconnect') {
      // The server closed the connection without saying why: an unknown kick (§9.1).
      this.#onEnded('INTERRUPTED', false);
      return;
    }
    if (this.state === 'CONNECTED' && this.#interruptTimer === null) {
      this.#interruptTimer = setTimeout(() => {
        this.#interruptTimer = null;
        if (!this.#requests.ready) this.#enterReconnecting();
      }, this.#config.timing.interruptionMs);
    }
  }

  #onEnded(reason: SessionEndReason, duringReconnect: boolean): void {
    if (this.state === 'ABORTED' || this.state === 'DISCONNECTED') return;
    this.#credentials.forgetSession();
    if (reason === 'TOKEN_EXPIRED' && duringReconnect) {
      // §9.1: TokenExpired while RECONNECTING does not change the state; renewToken logs in again.
      this.#enterReconnecting();
      this.#awaitingToken = true;
      this.#events.tokenExpired();
      return;
    }
    this.#requests.ready = false;
    this.#closeSocket();
    this.#clearInterrupt();
    this.#requests.giveUp();
    this.#hooks.closed(reason);
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
    this.#credentials.clear();
    this.#setState('DISCONNECTED', reason);
    login.reject(error);
  }

  #reset(): void {
    this.#closeSocket();
    this.#clearInterrupt();
    this.#requests.settleAll({ ok: false, error: { code: 0, name: 'INTERNAL', message: 'Logged out.' } });
    this.#requests.ready = false;
    this.#credentials.clear();
    this.#awaitingToken = false;
    this.#closing = false;
  }

  #closeSocket(): void {
    this.#retry.cancel();
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
