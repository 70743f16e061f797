import type { ServerEventArgs, ServerEventName, SessionEndReason } from '@rtm-kit/protocol';

/**
 * How the core reaches clients. The socket.io binding implements it with rooms, so delivery works
 * across nodes through the socket.io adapter; an in-process transport can implement it directly.
 */
export interface Router {
  /** Deliver an event to the live connection of one session (dropped if it has none). */
  toSession<E extends ServerEventName>(sessionId: string, event: E, ...args: ServerEventArgs<E>): void;
  /** Tell a session's connection why it ended, then close it. */
  closeSession(sessionId: string, reason: SessionEndReason): void;
}
