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
  /**
   * Deliver an event whose last argument is an acknowledgement to a session's connection.
   * Resolves true once the client acknowledged, false when it has no connection or did not
   * answer within `timeoutMs` (peer messages: `hasPeerReceived`).
   */
  toSessionWithAck<E extends AckedServerEventName>(
    sessionId: string,
    timeoutMs: number,
    event: E,
    ...args: ArgsBeforeAck<ServerEventArgs<E>>
  ): Promise<boolean>;
  /** Put a session's live connection into a channel's delivery group (a room). */
  joinChannel(sessionId: string, appId: string, channelId: string): void;
  /** Take a session's live connection out of a channel's delivery group. */
  leaveChannel(sessionId: string, appId: string, channelId: string): void;
  /** Deliver an event to the live connections of every member of a channel. */
  toChannel<E extends ServerEventName>(appId: string, channelId: string, event: E, ...args: ServerEventArgs<E>): void;
  /**
   * The same, except one session (a channel message never goes back to its sender, §3). May
   * return a promise that settles once the event has left for every node (a fleet's adapter
   * publishes through Redis); what it delivers does not wait for that.
   */
  toChannelExcept<E extends ServerEventName>(
    appId: string,
    channelId: string,
    exceptSessionId: string,
    event: E,
    ...args: ServerEventArgs<E>
  ): void | Promise<void>;
  /** Put a session's live connection among the status subscribers of each of `uids` (§2.6). */
  watchStatus(sessionId: string, appId: string, uids: readonly string[]): void;
  /** Take a session's live connection out of the status subscribers of each of `uids`. */
  unwatchStatus(sessionId: string, appId: string, uids: readonly string[]): void;
  /** Deliver an event to the live connections subscribed to the status of `uid`. */
  toStatusWatchers<E extends ServerEventName>(appId: string, uid: string, event: E, ...args: ServerEventArgs<E>): void;
}

/** Server events whose last argument is an acknowledgement callback. */
export type AckedServerEventName = {
  [E in ServerEventName]: ServerEventArgs<E> extends [...unknown[], (...a: never[]) => void] ? E : never;
}[ServerEventName];

/** The arguments of an acknowledged event without its acknowledgement. */
export type ArgsBeforeAck<A extends unknown[]> = A extends [...infer P, (...a: never[]) => void] ? P : A;
