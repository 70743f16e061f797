import { REQUEST_ERRORS, type Ack, type ClientEventName, type RequestPayload, type RequestResult } from '@rtm-kit/protocol';
import { fromWire, requestError } from './errors.js';
import type { TransportSocket } from './transport.js';

/**
 * How a request goes out. Its error codes are not among them: they come from the protocol's
 * request table (`REQUEST_ERRORS`), the one the server answers from.
 */

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
}

/** Sends one request on the current socket (nothing when there is none). */
export type Emit = (event: string, payload: unknown, onAck: (res: Ack<unknown>) => void) => void;

interface Flight {
  readonly event: string;
  readonly payload: unknown;
  readonly resend: boolean;
  needsResend: boolean;
  settle(res: Ack<unknown> | 'timeout'): void;
}

/**
 * The requests sent and not answered yet: each settles exactly once (its ack, its timeout, or
 * the session's end), and those marked `resend` go out again on the next connection when the
 * previous one dropped before their answer.
 */
class InFlightRequests {
  readonly #flights = new Set<Flight>();

  /**
   * Send `payload` and settle with its ack, or with `'timeout'` after `timeoutMs`. The ack may
   * come from a resend on a later connection.
   */
  send(emit: Emit, event: string, payload: unknown, resend: boolean, timeoutMs: number): Promise<Ack<unknown> | 'timeout'> {
    return new Promise((resolve) => {
      const flight: Flight = {
        event,
        payload,
        resend,
        needsResend: false,
        settle: (res) => {
          if (!this.#flights.delete(flight)) return;
          clearTimeout(timer);
          resolve(res);
        },
      };
      const timer = setTimeout(() => flight.settle('timeout'), timeoutMs);
      this.#flights.add(flight);
      this.#emit(emit, flight);
    });
  }

  /** The connection dropped: requests that may be resent wait for the next one. */
  disconnected(): void {
    for (const flight of this.#flights) if (flight.resend) flight.needsResend = true;
  }

  /** A new connection is ready: send again what the last one lost. */
  resend(emit: Emit): void {
    for (const flight of this.#flights) {
      if (!flight.needsResend) continue;
      flight.needsResend = false;
      this.#emit(emit, flight);
    }
  }

  /** The session is over: every request settles with `answer`. */
  settleAll(answer: Ack<never>): void {
    for (const flight of [...this.#flights]) flight.settle(answer);
  }

  #emit(emit: Emit, flight: Flight): void {
    emit(flight.event, flight.payload, (res) => flight.settle(res));
  }
}

/**
 * Waiters for the session to be ready: each resolves true when it is, false when it is given up
 * (logout, session end) or when its own time runs out.
 */
class ReadyWaiters {
  readonly #waiters = new Set<(ok: boolean) => void>();

  wait(ms: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        resolve(ok);
      };
      const timer = setTimeout(() => done(false), ms);
      this.#waiters.add(done);
    });
  }

  release(ok: boolean): void {
    for (const waiter of [...this.#waiters]) waiter(ok);
  }
}

/** What the request pipeline reads of the connection state machine. */
export interface RequestSession {
  /** CONNECTED or RECONNECTING. */
  loggedIn(): boolean;
  reconnectWaitMs(): number;
}

/**
 * The request pipeline of one client, beside the connection state machine (as socket.io-client's
 * `Socket` beside its `Manager`): a request waits for a ready connection (and for a restore in
 * progress), goes out on the current socket, and settles with its answer, its timeout or the end
 * of the session; those that may be resent go out again on the next connection.
 */
export class Requests {
  /** True when requests can be sent now. */
  ready = false;
  /** True while the `ready` hooks restore state after a reconnect. */
  restoring = false;
  readonly #inFlight = new InFlightRequests();
  readonly #waiters = new ReadyWaiters();
  readonly #emit: Emit;
  readonly #session: RequestSession;

  constructor(emit: Emit, session: RequestSession) {
    this.#emit = emit;
    this.#session = session;
  }

  /** Send a request and resolve with its data, or reject with the operation's error. */
  async request<E extends ClientEventName>(event: E, payload: RequestPayload<E>, options: RequestOptions): Promise<RequestResult<E>> {
    const codes = REQUEST_ERRORS[event];
    const started = Date.now();
    await this.#untilSendable(event, options);
    const remaining = Math.max(0, options.timeoutMs - (Date.now() - started));
    const res = await this.#inFlight.send(this.#emit, event, payload, options.resendOnReconnect === true, remaining);
    if (res === 'timeout') throw requestError(codes.timeout, `Executing "${event}" timed out after ${Math.round(options.timeoutMs / 1000)}s.`);
    if (!res.ok) throw fromWire(res.error, codes.failure);
    return res.data as RequestResult<E>;
  }

  /** The connection dropped: requests that may be resent wait for the next one. */
  disconnected(): void {
    this.#inFlight.disconnected();
  }

  /** The connection is ready and restored: send again what the last one lost, release waiters. */
  resumed(): void {
    this.#inFlight.resend(this.#emit);
    this.#waiters.release(true);
  }

  /** The session ended: waiting requests fail. */
  giveUp(): void {
    this.#waiters.release(false);
  }

  /** Logged out: every request settles with `answer`. */
  settleAll(answer: Ack<never>): void {
    this.#waiters.release(false);
    this.#inFlight.settleAll(answer);
  }

  /**
   * Resolves when a request may be sent now, or rejects with the operation's error: a request
   * waits while a restore runs (unless it is part of it), and while RECONNECTING if it may wait
   * (`waitForReconnect`), at most `reconnectWaitMs`.
   */
  async #untilSendable(event: ClientEventName, options: RequestOptions): Promise<void> {
    const codes = REQUEST_ERRORS[event];
    const session = this.#session;
    if (this.ready && this.restoring && options.restore !== true) {
      // Wait for the re-joins and re-subscriptions; the state says RECONNECTING meanwhile.
      if (await this.#wait(options.timeoutMs)) return;
      if (session.loggedIn()) throw requestError(codes.timeout, `Executing "${event}" timed out while the session was being restored.`);
      throw requestError(codes.notLoggedIn, 'Not logged in.');
    }
    if (this.ready) return;
    if (options.waitForReconnect !== true || !session.loggedIn()) throw requestError(codes.notLoggedIn, 'Not logged in.');
    if (await this.#wait(Math.min(session.reconnectWaitMs(), options.timeoutMs))) return;
    if (session.loggedIn()) throw requestError(codes.timeout, `The connection did not come back within ${session.reconnectWaitMs() / 1000}s.`);
    throw requestError(codes.notLoggedIn, 'Not logged in.');
  }

  #wait(ms: number): Promise<boolean> {
    if (this.ready && !this.restoring) return Promise.resolve(true);
    return this.#waiters.wait(ms);
  }
}

/** Listeners of server events, attached to the current socket and to every later one. */
export class ServerListeners {
  readonly #byEvent = new Map<string, Set<(...args: never[]) => void>>();

  add(event: string, handler: (...args: never[]) => void, current: TransportSocket | null): void {
    let set = this.#byEvent.get(event);
    if (!set) {
      set = new Set();
      this.#byEvent.set(event, set);
    }
    set.add(handler);
    current?.on(event, handler);
  }

  attach(socket: TransportSocket): void {
    for (const [event, handlers] of this.#byEvent) for (const h of handlers) socket.on(event, h);
  }
}
