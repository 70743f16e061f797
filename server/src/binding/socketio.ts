import { errorCodeOf, type AuthPayload, type ConnectErrorData } from '@rtm-kit/protocol';
import { authPayloadSchema } from '@rtm-kit/protocol/schemas';
import type { LoginErrorName } from '../core/auth.js';
import type { Core } from '../core/core.js';
import type { SessionRecord } from '../core/store.js';
import { resolveAbuseLimits } from './abuse-limits.js';
import { ConnectionGuard, type EngineConnection } from './connection-guard.js';
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

/** What `bindSocketIo` may be given besides the server, the core and a logger. */
export interface BindingOptions {
  /**
   * The abuse limits and the Origin check. `startServer` makes one from its `abuse` and `cors`
   * options and also hands its `allowRequest` to socket.io; without one, the default limits apply
   * to handshakes and any origin may connect.
   */
  readonly guard?: ConnectionGuard;
  readonly registrars?: readonly HandlerRegistrar[];
}

/** A login between the handshake middleware and socket.io's 'connection' event. */
interface HandOver {
  readonly resumeSecret: string;
  /** Removes the login's close listener: from the hand-over on, the socket's 'disconnect' covers a closed connection. */
  readonly detach: () => void;
  /** Lets the connection log in again; once, at the socket's end. */
  readonly release: () => void;
}

/**
 * Connects the core to socket.io: logs in (or resumes) in the handshake middleware, so the uid
 * of a socket only ever comes from a verified login, then registers every domain's handlers.
 *
 * Every handshake costs O(1) memory however many a connection sends: it is counted against the
 * abuse limits first, at most one login runs per connection (a second one, pipelined behind the
 * first, is refused with LOGIN_ERR_ALREADY_LOGIN), and the one close listener of a login is
 * removed as soon as the login fails or its socket is handed over.
 */
export function bindSocketIo(io: TypedServer, core: Core, log: Logger, options: BindingOptions = {}): void {
  const guard =
    options.guard ??
    new ConnectionGuard({ limits: resolveAbuseLimits(), origins: true, now: () => core.clock.now(), log });
  const registrars = options.registrars ?? DOMAIN_HANDLERS;
  const handOvers = new WeakMap<TypedSocket, HandOver>();

  io.engine.on('connection', (conn: EngineConnection) => guard.track(conn));

  io.use((socket, next) => {
    const conn = socket.conn;
    const connection = guard.connection(conn);
    const refuse = (data: ConnectErrorData) => next(connectError(data));

    const closing = connection.closing;
    const limited = guard.admitHandshake(connection);
    if (limited) {
      refuse(limited);
      // After socket.io has written the refusal (on the next tick); close() then waits for it to drain.
      if (!closing) setImmediate(() => conn.close());
      return;
    }
    if (connection.busy) {
      refuse(loginError('LOGIN_ERR_ALREADY_LOGIN', 'This connection is already logging in or logged in.'));
      return;
    }
    const parsed = authPayloadSchema.safeParse(socket.handshake.auth);
    if (!parsed.success) {
      refuse(loginError('LOGIN_ERR_INVALID_ARGUMENT', 'Malformed login request.'));
      return;
    }
    const auth = parsed.data as AuthPayload;
    if (!guard.admitUser(auth.appId, auth.uid)) {
      refuse(loginError('LOGIN_ERR_TOO_OFTEN', 'Too many connections are logged in as this user.'));
      return;
    }

    connection.busy = true;
    const release = () => {
      connection.busy = false;
    };
    let opened: SessionRecord | null = null;
    let closed = false;
    // The connection may close while the login is still running (a slow store makes that window
    // wide), or between the login and the 'connection' event. socket.io then drops the socket
    // without a 'connection' event, so nobody would start the grace period and the session would
    // stay "connected" forever: start it here.
    const abandon = () => {
      release();
      const session = opened;
      opened = null;
      if (session) core.sessions.connectionLost(session).catch((error: unknown) => log.error('ending an abandoned login failed', error));
    };
    const onClose = () => {
      closed = true;
      abandon();
    };
    conn.once('close', onClose);

    core.sessions
      .open(auth)
      .then((result) => {
        if (!result.ok) {
          conn.off('close', onClose);
          release();
          refuse(result.error);
          return;
        }
        const { session } = result;
        opened = session;
        if (closed || conn.readyState !== 'open') {
          conn.off('close', onClose);
          abandon();
          // socket.io drops the socket when it sees the connection closed; without an answer it
          // would keep it among its pending sockets for good.
          refuse(loginError('LOGIN_ERR_UNKNOWN', 'The connection closed during the login.'));
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
        handOvers.set(socket, {
          resumeSecret: session.resumeSecret,
          release,
          detach: () => {
            opened = null;
            conn.off('close', onClose);
          },
        });
        next();
      })
      .catch((error: unknown) => {
        log.error('login failed', error);
        conn.off('close', onClose);
        abandon();
        refuse(loginError('LOGIN_ERR_UNKNOWN', 'The server could not log you in.'));
      });
  });

  io.on('connection', (socket) => {
    const handOver = handOvers.get(socket);
    if (!handOver) {
      // Every socket comes through the middleware above; one that did not has no session.
      socket.disconnect(true);
      return;
    }
    handOvers.delete(socket);
    handOver.detach();
    const leaveUser = guard.enterUser(socket.data.appId, socket.data.uid);
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

    refuseUnknownEvents(socket, log);
    for (const register of registrars) register(socket, core, log);

    socket.on('disconnect', () => {
      handOver.release();
      leaveUser();
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
      resumeSecret: handOver.resumeSecret,
      resumed: socket.data.resumed,
      serverTime: core.clock.now(),
      tokenExpiresAt: socket.data.tokenExpiresAt,
      limits: core.limits,
    });
  });
}

function loginError(name: LoginErrorName, message: string): ConnectErrorData {
  return { code: errorCodeOf(name), name, message };
}

function connectError(data: ConnectErrorData): Error & { data: ConnectErrorData } {
  const error = new Error(data.message) as Error & { data: ConnectErrorData };
  error.data = data;
  return error;
}
