import type { Ack, ErrorCodeName } from '@rtm-kit/protocol';
import { rtmError } from './errors.js';
import type { TransportSocket } from './transport.js';

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
export class InFlightRequests {
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
export class ReadyWaiters {
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

/** What a request needs to know of the connection before it may go out. */
export interface SendGate {
  ready(): boolean;
  /** The `ready` hooks are restoring the session after a reconnect. */
  restoring(): boolean;
  /** CONNECTED or RECONNECTING. */
  loggedIn(): boolean;
  reconnectWaitMs(): number;
  wait(ms: number): Promise<boolean>;
}

/**
 * Resolves when a request may be sent now, or rejects with the operation's error: a request
 * waits while a restore runs (unless it is part of it), and while RECONNECTING if it may wait
 * (`waitForReconnect`), at most `reconnectWaitMs`.
 */
export async function untilSendable(gate: SendGate, event: string, options: RequestOptions): Promise<void> {
  if (gate.ready() && gate.restoring() && options.restore !== true) {
    // Wait for the re-joins and re-subscriptions; the state says RECONNECTING meanwhile.
    if (await gate.wait(options.timeoutMs)) return;
    if (gate.loggedIn()) throw rtmError(options.errors.timeout, `Executing "${event}" timed out while the session was being restored.`);
    throw rtmError(options.errors.notLoggedIn, 'Not logged in.');
  }
  if (gate.ready()) return;
  if (options.waitForReconnect !== true || !gate.loggedIn()) throw rtmError(options.errors.notLoggedIn, 'Not logged in.');
  if (await gate.wait(Math.min(gate.reconnectWaitMs(), options.timeoutMs))) return;
  if (gate.loggedIn()) throw rtmError(options.errors.timeout, `The connection did not come back within ${gate.reconnectWaitMs() / 1000}s.`);
  throw rtmError(options.errors.notLoggedIn, 'Not logged in.');
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
