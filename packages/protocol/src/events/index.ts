import type { AttributesClientEvents, AttributesServerEvents } from './attributes.js';
import type { ChannelClientEvents, ChannelServerEvents } from './channel.js';
import type { InvitationClientEvents, InvitationServerEvents } from './invitation.js';
import type { MediaClientEvents, MediaServerEvents } from './media.js';
import type { PeerClientEvents, PeerServerEvents } from './peer.js';
import type { PresenceClientEvents, PresenceServerEvents } from './presence.js';
import type { SessionClientEvents, SessionServerEvents } from './session.js';

export * from './session.js';
export * from './peer.js';
export * from './channel.js';
export * from './attributes.js';
export * from './presence.js';
export * from './invitation.js';
export * from './media.js';

/**
 * Every event a client may send, keyed `domain:action`. Requests carry an acknowledgement
 * callback as their last argument (see `Request`).
 */
export interface ClientToServerEvents
  extends SessionClientEvents,
    PeerClientEvents,
    ChannelClientEvents,
    AttributesClientEvents,
    PresenceClientEvents,
    InvitationClientEvents,
    MediaClientEvents {}

/** Every event the server sends to a client. */
export interface ServerToClientEvents
  extends SessionServerEvents,
    PeerServerEvents,
    ChannelServerEvents,
    AttributesServerEvents,
    PresenceServerEvents,
    InvitationServerEvents,
    MediaServerEvents {}

export type ClientEventName = keyof ClientToServerEvents & string;
export type ServerEventName = keyof ServerToClientEvents & string;

/** The payload of a client request. */
export type RequestPayload<E extends ClientEventName> = Parameters<ClientToServerEvents[E]>[0];
/** The data a client request resolves with. */
export type RequestResult<E extends ClientEventName> =
  Parameters<ClientToServerEvents[E]>[1] extends (res: infer A) => void
    ? A extends { ok: true; data: infer D }
      ? D
      : never
    : never;
/** The arguments of a server event. */
export type ServerEventArgs<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>;

/** Events between server nodes (scale-out); none yet. */
export interface InterServerEvents {}

/** What the server keeps on each socket once it is authenticated. */
export interface SocketData {
  appId: string;
  uid: string;
  sessionId: string;
}
