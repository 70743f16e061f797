import { errorCodeOf, type AuthPayload, type ConnectErrorData } from '@rtm-kit/protocol';
import { authPayloadSchema } from '@rtm-kit/protocol/schemas';
import type { Core } from '../core/core.js';
import type { SessionRecord } from '../core/store.js';
import type { Logger } from './requests.js';
import { refuseUnknownEvents } from './requests.js';
import { registerAttributesHandlers } from './attributes-handlers.js';
import { registerChannelHandlers } from './channel-handlers.js';
import { registerInvitationHandlers } from './invitation-handlers.js';
import { registerPeerHandlers } from './peer-handlers.js';
import { registerPresenceHandlers } from './presence-handlers.js';
import { registerSessionHandlers } from './session-handlers.js';
import { rooms, type TypedServer, type TypedSocket } from './types.js';

/** One function per domain that registers its request handlers on an authenticated socket. */
export type HandlerRegistrar = (socket: TypedSocket, core: Core, log: Logger) => void;

/** Every domain's handlers, in the order they are registered on a new socket. */
export const DOMAIN_HANDLERS: readonly HandlerRegistrar[] = [
  registerSessionHandlers,
  registerPeerHandlers,
  registerChannelHandlers,
  registerAttributesHandlers,
  registerPresenceHandlers,
  registerInvitationHandlers,
];

/**
 * Connects the core to socket.io: logs in (or resumes) in the handshake middleware, so the uid
 * of a socket only ever comes from a verified login, then registers every domain's handlers.
 */
export function bindSocketIo(
  io: TypedServer,
  core: Core,
  log: Logger,
  registrars: readonly HandlerRegistrar[] = DOMAIN_HANDLERS,
): void {
  // Sockets that reached the 'connection' handler; until then a closed connection is ours to report.
  const handedOver = new WeakSet<object>();

  io.use((socket, next) => {
    const parsed = authPayloadSchema.safeParse(socket.handshake.auth);
    if (!parsed.success) {
      next(connectError({ code: errorCodeOf('LOGIN_ERR_INVALID_ARGUMENT'), name: 'LOGIN_ERR_INVALID_ARGUMENT', message: 'Malformed login request.' }));
      return;
    }
    let opened: SessionRecord | null = null;
    // The connection may close while the login is still running (a slow store makes that window
    // wide). socket.io then drops the socket without a 'connection' event, so nobody would start
    // the grace period and the session would stay "connected" forever: start it here.
    const closedEarly = () => {
      if (opened && !handedOver.has(socket)) {
        const session = opened;
        opened = null;
        core.sessions.connectionLost(session).catch((error: unknown) => log.error('ending an abandoned login failed', error));
      }
    };
    socket.conn.once('close', closedEarly);
    core.sessions
      .open(parsed.data as AuthPayload)
      .then((result) => {
        if (!result.ok) {
          next(connectError(result.error));
          return;
        }
        const { session } = result;
        opened = session;
        if (socket.conn.readyState !== 'open') {
          closedEarly();
          return;
        }
        socket.data = {
          appId: session.appId,
          uid: session.uid,
          sessionId: session.sessionId,
          epoch: session.epoch,
          ended: false,
          resumed: result.resumed,
          tokenExpiresAt: session.tokenExpiresAt,
        };
        next();
      })
      .catch((error: unknown) => {
        log.error('login failed', error);
        next(connectError({ code: errorCodeOf('LOGIN_ERR_UNKNOWN'), name: 'LOGIN_ERR_UNKNOWN', message: 'The server could not log you in.' }));
      });
  });

  io.on('connection', (socket) => {
    handedOver.add(socket);
    const { sessionId, epoch } = socket.data;
    const room = rooms.session(sessionId);
    // A resumed session may still have a half-open older connection; the newest one wins.
    io.in(room)
      .fetchSockets()
      .then((older) => {
        for (const s of older) if (s.id !== socket.id && s.data.epoch < epoch) s.disconnect(true);
      })
      .catch((error: unknown) => log.error('closing superseded connections failed', error));
    void socket.join(room);

    refuseUnknownEvents(socket);
    for (const register of registrars) register(socket, core, log);

    socket.on('disconnect', () => {
      if (socket.data.ended) return;
      core.sessions
        .get(socket.data.appId, socket.data.uid)
        .then((session) => {
          if (session && session.sessionId === sessionId && session.epoch === epoch) {
            return core.sessions.connectionLost(session);
          }
          return undefined;
        })
        // A store failure must not become an unhandled rejection: that would stop the process.
        .catch((error: unknown) => log.error('handling a dropped connection failed', error));
    });

    socket.emit('session:ready', {
      sessionId,
      resumed: socket.data.resumed,
      serverTime: core.clock.now(),
      tokenExpiresAt: socket.data.tokenExpiresAt,
      limits: core.limits,
    });
  });
}

function connectError(data: ConnectErrorData): Error & { data: ConnectErrorData } {
  const error = new Error(data.message) as Error & { data: ConnectErrorData };
  error.data = data;
  return error;
}
