import {
  errorCodeOf,
  REQUEST_ERRORS,
  type Ack,
  type ClientEventName,
  type ErrorCodeName,
  type RequestPayload,
  type RequestResult,
  type WireError,
} from '@rtm-kit/protocol';
import { clientEventSchemas } from '@rtm-kit/protocol/schemas';
import { CoreError } from '../core/errors.js';
import type { TypedSocket } from './types.js';

export type Logger = {
  info(message: string): void;
  warn(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
};

export type RequestHandler<E extends ClientEventName> = (
  payload: RequestPayload<E>,
) => Promise<RequestResult<E>> | RequestResult<E>;

/**
 * Registers a request handler behind the edge checks every event gets: the acknowledgement must
 * be a function, the payload must match the event's schema, the session must still be live, and
 * nothing thrown inside ever escapes. Errors carry the spec's code for that operation.
 *
 * A request is `(payload, ack)`. socket.io passes the acknowledgement as the last argument, so a
 * client that sends no payload, or extra arguments before the ack, still has one: it is answered
 * with the event's invalid-argument code rather than left waiting. A request without an ack has
 * nobody to answer and is dropped.
 */
export function onRequest<E extends ClientEventName>(
  socket: TypedSocket,
  event: E,
  handler: RequestHandler<E>,
  log: Logger,
): void {
  const codes = REQUEST_ERRORS[event];
  const schema = clientEventSchemas[event];
  const listener = (...args: unknown[]): void => {
    const ack = args.at(-1);
    if (typeof ack !== 'function') return;
    const reply = safeAnswer(ack, log, event);
    if (args.length !== 2) {
      reply({ ok: false, error: wire(codes.invalid, `${event} takes one payload and an acknowledgement; got ${args.length - 1} arguments before it.`) });
      return;
    }
    if (socket.data.ended) {
      reply({ ok: false, error: wire(codes.notLoggedIn, 'The session has ended.') });
      return;
    }
    const parsed = schema.safeParse(args[0]);
    if (!parsed.success) {
      reply({ ok: false, error: wire(codes.invalid, describeIssue(event, parsed.error.issues)) });
      return;
    }
    void (async () => {
      try {
        const data = await handler(parsed.data as RequestPayload<E>);
        reply({ ok: true, data });
      } catch (error) {
        if (error instanceof CoreError) {
          reply({ ok: false, error: wire(error.codeName, error.message) });
        } else {
          log.error(`request ${event} failed`, error);
          reply({ ok: false, error: wire(codes.failure, 'The server could not complete the request.') });
        }
      }
    })();
  };
  (socket.on as (ev: string, fn: (...a: unknown[]) => void) => void)(event, listener);
}

/** Answers any event that has no handler, so a client waiting on an ack never hangs. */
export function refuseUnknownEvents(socket: TypedSocket, log: Logger): void {
  socket.onAny((event: unknown, ...args: unknown[]) => {
    if (typeof event === 'string' && Object.hasOwn(REQUEST_ERRORS, event)) return;
    const ack = args.at(-1);
    if (typeof ack === 'function') safeAnswer(ack, log, 'an unknown event')({ ok: false, error: wire('INTERNAL', 'Unknown event.') });
  });
}

/** The acknowledgement as a function that never throws into socket.io's dispatch. */
function safeAnswer<T>(ack: unknown, log: Logger, what: string): (res: Ack<T>) => void {
  return (res) => {
    try {
      (ack as (res: Ack<T>) => void)(res);
    } catch (error) {
      log.error(`answering ${what} failed`, error);
    }
  };
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
