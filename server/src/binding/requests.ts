import {
  errorCodeOf,
  REQUEST_ERRORS,
  type Ack,
  type ClientEventName,
  type ErrorCodeName,
  type RequestErrorCodes,
  type RequestPayload,
  type RequestResult,
  type WireError,
} from '@rtm-kit/protocol';
import { clientEventSchemas } from '@rtm-kit/protocol/schemas';
import type { Core } from '../core/core.js';
import { CoreError } from '../core/errors.js';
import type { SessionRecord } from '../core/store.js';
import type { BindingSocketData, TypedSocket } from './types.js';

export type Logger = {
  info(message: string): void;
  warn(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
};

/**
 * Who sends a request: the socket's own login, from the verified handshake (never anything in a
 * payload). It is the socket's data itself, so a request allocates no actor.
 */
export type SocketActor = Pick<BindingSocketData, 'appId' | 'uid' | 'sessionId' | 'epoch'>;

type Answer<E extends ClientEventName> = Promise<RequestResult<E>> | RequestResult<E>;

/**
 * How one request is served, after the edge checks every request gets (an acknowledgement, one
 * payload matching the event's schema, a session not ended on this socket):
 *
 * - `session`: the binding reads the user's current session first and refuses the request with
 *   the event's `notLoggedIn` code unless it is this socket's; the handler gets that record.
 * - `actor`: the handler gets the socket's actor at once and the service owns the liveness check,
 *   so nothing is awaited before it and a client's requests reach the store in the order it sent
 *   them (attribute writes rely on that).
 */
export type RequestEntry<E extends ClientEventName> =
  | {
      readonly caller: 'session';
      readonly handle: (session: SessionRecord, payload: RequestPayload<E>, socket: TypedSocket) => Answer<E>;
    }
  | {
      readonly caller: 'actor';
      readonly handle: (actor: SocketActor, payload: RequestPayload<E>, socket: TypedSocket) => Answer<E>;
    };

/** One entry per request of a domain; every domain's together make the binding's table. */
export type RequestTable<E extends ClientEventName = ClientEventName> = { readonly [K in E]: RequestEntry<K> };

/** What a dispatch needs of an event, looked up once per server rather than per request. */
interface Route {
  readonly event: ClientEventName;
  /** The table ties each handler to its event's payload and result; a route only runs it. */
  readonly entry: { readonly caller: 'session' | 'actor'; readonly handle: (...args: never[]) => unknown };
  readonly codes: RequestErrorCodes;
  readonly schema: (typeof clientEventSchemas)[ClientEventName];
}

type Reply = (res: Ack<unknown>) => void;

/**
 * Serves every request of every socket from one table: one listener per socket (`serve`), no
 * handler closures per socket. Each request gets the edge checks in the table's terms: the
 * acknowledgement must be a function, the payload must match the event's schema, the session
 * must still be live, and nothing thrown inside ever escapes. Errors carry the spec's code for
 * that operation (`REQUEST_ERRORS`).
 *
 * A request is `(payload, ack)`. socket.io passes the acknowledgement as the last argument, so a
 * client that sends no payload, or extra arguments before the ack, still has one: it is answered
 * with the event's invalid-argument code rather than left waiting. A request without an ack has
 * nobody to answer and is dropped; an event outside the table is answered with an error.
 */
export class RequestDispatcher {
  readonly #routes = new Map<string, Route>();
  readonly #core: Core;
  readonly #log: Logger;

  constructor(table: RequestTable, core: Core, log: Logger) {
    this.#core = core;
    this.#log = log;
    for (const event of Object.keys(table) as ClientEventName[]) {
      this.#routes.set(event, {
        event,
        entry: table[event] as Route['entry'],
        codes: REQUEST_ERRORS[event],
        schema: clientEventSchemas[event],
      });
    }
  }

  /** Starts serving a logged-in socket's requests. */
  serve(socket: TypedSocket): void {
    socket.onAny((event: unknown, ...args: unknown[]) => this.dispatch(socket, event, args));
  }

  /** One event the client sent: `args` ends with the acknowledgement when it asked for one. */
  dispatch(socket: TypedSocket, event: unknown, args: readonly unknown[]): void {
    const last = args[args.length - 1];
    if (typeof last !== 'function') return;
    const ack = last as Reply;
    const route = typeof event === 'string' ? this.#routes.get(event) : undefined;
    if (!route) {
      this.#answer(ack, 'an unknown event', { ok: false, error: wire('INTERNAL', 'Unknown event.') });
      return;
    }
    const { codes } = route;
    if (args.length !== 2) {
      const message = `${route.event} takes one payload and an acknowledgement; got ${args.length - 1} arguments before it.`;
      this.#answer(ack, route.event, { ok: false, error: wire(codes.invalid, message) });
      return;
    }
    const data = socket.data;
    if (data.ended) {
      this.#answer(ack, route.event, { ok: false, error: wire(codes.notLoggedIn, 'The session has ended.') });
      return;
    }
    const parsed = route.schema.safeParse(args[0]);
    if (!parsed.success) {
      this.#answer(ack, route.event, { ok: false, error: wire(codes.invalid, describeIssue(route.event, parsed.error.issues)) });
      return;
    }
    if (route.entry.caller === 'actor') {
      this.#run(route, ack, data, parsed.data, socket);
      return;
    }
    // The session check is a snapshot: a session can end while an operation that passed it is
    // still running, so a service whose effect outlives the call (a channel join) checks again.
    let current: ReturnType<Core['sessions']['lookup']>;
    try {
      current = this.#core.sessions.lookup(data.appId, data.uid);
    } catch (error) {
      this.#fail(route, ack, error);
      return;
    }
    if (current instanceof Promise) {
      current.then(
        (session) => this.#runAs(route, ack, session, data.sessionId, parsed.data, socket),
        (error: unknown) => this.#fail(route, ack, error),
      );
    } else {
      this.#runAs(route, ack, current, data.sessionId, parsed.data, socket);
    }
  }

  /** Runs a `session` entry if `session` is the socket's own, else refuses it. */
  #runAs(route: Route, ack: Reply, session: SessionRecord | null, sessionId: string, payload: unknown, socket: TypedSocket): void {
    if (session?.sessionId === sessionId) this.#run(route, ack, session, payload, socket);
    else this.#answer(ack, route.event, { ok: false, error: wire(route.codes.notLoggedIn, 'This session has ended.') });
  }

  /** Runs the handler with its caller (a session record for `session` entries, else the socket's actor). */
  #run(route: Route, ack: Reply, caller: SessionRecord | SocketActor, payload: unknown, socket: TypedSocket): void {
    // The table's types tie each handler to its event; from here on a result is only passed on.
    let answer: unknown;
    try {
      const handle = route.entry.handle as (caller: SessionRecord | SocketActor, payload: unknown, socket: TypedSocket) => unknown;
      answer = handle(caller, payload, socket);
    } catch (error) {
      this.#fail(route, ack, error);
      return;
    }
    if (answer instanceof Promise) {
      answer.then(
        (data) => this.#answer(ack, route.event, { ok: true, data }),
        (error: unknown) => this.#fail(route, ack, error),
      );
    } else {
      this.#answer(ack, route.event, { ok: true, data: answer });
    }
  }

  #fail(route: Route, ack: Reply, error: unknown): void {
    if (error instanceof CoreError) {
      this.#answer(ack, route.event, { ok: false, error: wire(error.codeName, error.message) });
      return;
    }
    this.#log.error(`request ${route.event} failed`, error);
    this.#answer(ack, route.event, { ok: false, error: wire(route.codes.failure, 'The server could not complete the request.') });
  }

  /** Calls the acknowledgement; it never throws into socket.io's dispatch. */
  #answer(ack: Reply, what: string, res: Ack<unknown>): void {
    try {
      ack(res);
    } catch (error) {
      this.#log.error(`answering ${what} failed`, error);
    }
  }
}

export function wire(name: ErrorCodeName | 'INTERNAL', message: string): WireError {
  return { code: name === 'INTERNAL' ? 0 : errorCodeOf(name), name, message };
}

function describeIssue(event: string, issues: readonly { path: PropertyKey[]; message: string }[]): string {
  const first = issues[0];
  if (!first) return `Invalid payload for ${event}.`;
  const where = first.path.length > 0 ? first.path.map(String).join('.') : 'payload';
  return `Invalid ${where} for ${event}: ${first.message}`;
}
