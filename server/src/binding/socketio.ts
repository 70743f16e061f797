import { DEFAULT_LIMITS, errorCodeOf, type AuthPayload, type ConnectErrorData, type Limits } from '@rtm-kit/protocol';
import { authPayloadSchema } from '@rtm-kit/protocol/schemas';
import type { LoginErrorName } from '../core/auth.js';
import type { Core } from '../core/core.js';
import type { SessionRecord } from '../core/store.js';
import { resolveAbuseLimits } from './abuse-limits.js';
import { attributesRequests } from './attributes-handlers.js';
import { channelRequests } from './channel-handlers.js';
import { ConnectionGuard, type EngineConnection } from './connection-guard.js';
import { invitationRequests } from './invitation-handlers.js';
import { peerRequests } from './peer-handlers.js';
import { presenceRequests } from './presence-handlers.js';
import { RequestDispatcher, type Logger, type RequestTable } from './requests.js';
import { sessionRequests } from './session-handlers.js';
import { rooms, type TypedServer, type TypedSocket } from './types.js';

/** Every request of every domain, and how the binding serves it. */
export function requestTable(core: Core): RequestTable {
  return {
    ...sessionRequests(core),
    ...peerRequests(core),
    ...channelRequests(core),
    ...attributesRequests(core),
    ...presenceRequests(core),
    ...invitationRequests(core),
  };
}

/** What `bindSocketIo` may be given besides the server, the core and a logger. */
export interface BindingOptions {
  /**
   * The abuse limits and the Origin check. `startServer` makes one from its `abuse` and `cors`
   * options and also hands its `allowRequest` to socket.io; without one, the default limits apply
   * to handshakes and any origin may connect.
   */
  readonly guard?: ConnectionGuard;
  /** Told of every logged-in connection this node opens and closes (a fleet tracks which node holds what). */
  readonly connections?: ConnectionObserver;
}

/** A logged-in connection as a fleet node records it: its session, and the epoch it attached with. */
export interface ConnectionObserver {
  opened(connection: { appId: string; uid: string; sessionId: string; epoch: number }): void;
  closed(connection: { appId: string; uid: string; sessionId: string; epoch: number }): void;
}

/** A logged-in socket's handshake auth: what the login carried is let go. */
const LOGGED_IN: Readonly<Record<string, never>> = Object.freeze({});

/** A login between the handshake middleware and socket.io's 'connection' event. */
interface HandOver {
  readonly resumeSecret: string;
  /** Removes the login's close listener: from the hand-over on, the socket's 'disconnect' covers a closed connection. */
  readonly detach: () => void;
}

/**
 * Connects the core to socket.io: logs in (or resumes) in the handshake middleware, so the uid
 * of a socket only ever comes from a verified login, then serves every domain's requests from
 * one table (`requestTable`) with one listener per socket.
 *
 * Every handshake costs O(1) memory however many a connection sends: it is counted against the
 * abuse limits first, at most one login runs per connection (a second one, pipelined behind the
 * first, is refused with LOGIN_ERR_ALREADY_LOGIN), and the one close listener of a login is
 * removed as soon as the login fails or its socket is handed over. After the hand-over a socket
 * holds two listeners (its requests, its disconnect), each closing over the socket alone.
 */
export function bindSocketIo(io: TypedServer, core: Core, log: Logger, options: BindingOptions = {}): void {
  const guard =
    options.guard ??
    new ConnectionGuard({ limits: resolveAbuseLimits(), origins: true, now: () => core.clock.now(), log });
  const requests = new RequestDispatcher(requestTable(core), core, log);
  // The same for every login, so made once: only the limits this server changed (see `limitOverrides`).
  const limits = limitOverrides(core.limits);
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
    // The login token and resume secret are not kept for the connection's life (nor copied to
    // other nodes with the socket by fetchSockets): nothing reads the handshake's auth after login.
    socket.handshake.auth = LOGGED_IN;
    const data = socket.data;
    guard.enterUser(data.appId, data.uid);
    // A resumed session may still have a half-open older connection; the newest one wins. A new
    // session's ID is new, so no other connection can be in its room (and a fleet is not asked).
    if (data.resumed) closeOlderConnections(io, socket, log);
    void socket.join(rooms.session(data.sessionId));
    options.connections?.opened(heldConnection(data));

    requests.serve(socket);
    // Every new connection is handed the invitations that wait for its user, now that it is in its session's room.
    core.invitations.deliverPending(data).catch((error: unknown) => log.error('delivering waiting invitations failed', error));
    socket.on('disconnect', () => disconnected(socket));

    // Looked at after the socket joined its session's room: a message held after the look is
    // announced there with `peer:pending`, so the client may skip its first fetch.
    const heldPeerMessages = core.peer.heldNow(data);
    socket.emit('session:ready', {
      sessionId: data.sessionId,
      resumeSecret: handOver.resumeSecret,
      resumed: data.resumed,
      serverTime: core.clock.now(),
      tokenExpiresAt: data.tokenExpiresAt,
      limits,
      ...(heldPeerMessages === null ? {} : { heldPeerMessages }),
    });
  });

  /** A logged-in socket's end: its places are free again, and a dropped connection starts the grace period. */
  function disconnected(socket: TypedSocket): void {
    const { appId, uid, sessionId, epoch } = socket.data;
    options.connections?.closed(heldConnection(socket.data));
    guard.connection(socket.conn).busy = false;
    guard.leaveUser(appId, uid);
    if (socket.data.ended) return;
    core.sessions
      .get(appId, uid)
      .then((session) => {
        if (session && session.sessionId === sessionId && session.epoch === epoch) {
          return core.sessions.connectionLost(session);
        }
        return undefined;
      })
      // A store failure must not become an unhandled rejection: that would stop the process.
      .catch((error: unknown) => log.error('handling a dropped connection failed', error));
  }
}

function closeOlderConnections(io: TypedServer, socket: TypedSocket, log: Logger): void {
  const { sessionId, epoch } = socket.data;
  io.in(rooms.session(sessionId))
    .fetchSockets()
    .then((older) => {
      for (const s of older) if (s.id !== socket.id && s.data.epoch < epoch) s.disconnect(true);
    })
    .catch((error: unknown) => log.error('closing superseded connections failed', error));
}

function heldConnection(data: TypedSocket['data']): { appId: string; uid: string; sessionId: string; epoch: number } {
  return { appId: data.appId, uid: data.uid, sessionId: data.sessionId, epoch: data.epoch };
}

/**
 * The limits `session:ready` carries: only those that differ from the protocol's defaults, which
 * the client fills in (`resolveLimits`). A server with default limits sends `{}`, not the whole
 * table with every login.
 */
export function limitOverrides(limits: Limits): Partial<Limits> {
  const overrides: Partial<Record<keyof Limits, unknown>> = {};
  for (const key of Object.keys(limits) as (keyof Limits)[]) {
    if (!sameValue(limits[key], DEFAULT_LIMITS[key])) overrides[key] = limits[key];
  }
  return overrides as Partial<Limits>;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // Rate limits are { count, windowMs } objects.
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((k) => Object.hasOwn(b, k) && (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k])
  );
}

function loginError(name: LoginErrorName, message: string): ConnectErrorData {
  return { code: errorCodeOf(name), name, message };
}

function connectError(data: ConnectErrorData): Error & { data: ConnectErrorData } {
  const error = new Error(data.message) as Error & { data: ConnectErrorData };
  error.data = data;
  return error;
}
