import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '@rtm-kit/protocol';

/** What the binding keeps on a socket beyond the shared `SocketData`. */
export interface BindingSocketData extends SocketData {
  /** The session epoch this connection attached with; a newer connection supersedes it. */
  epoch: number;
  /** Set once the session is over (logout), so late requests on this socket are refused. */
  ended: boolean;
  /** Whether the handshake resumed an interrupted session, reported in `session:ready`. */
  resumed: boolean;
  tokenExpiresAt: number | null;
}

export type TypedServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, BindingSocketData>;
export type TypedSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, BindingSocketData>;

/**
 * Rooms are prefixed so no client-chosen string can name another kind of room, and carry the
 * App ID (always 32 characters) so apps never share one: `sess:` a session's connection,
 * `u:` a user, `c:` a channel's members, `s:` a user's online-status subscribers.
 */
export const rooms = {
  session: (sessionId: string) => `sess:${sessionId}`,
  channel: (appId: string, channelId: string) => `c:${appId}:${channelId}`,
  status: (appId: string, uid: string) => `s:${appId}:${uid}`,
} as const;
