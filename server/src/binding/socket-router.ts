import type { ServerEventArgs, ServerEventName, SessionEndReason } from '@rtm-kit/protocol';
import type { AckedServerEventName, ArgsBeforeAck, Router } from '../core/router.js';
import { rooms, type TypedServer } from './types.js';

/** socket.io's packet type of an event (socket.io-parser `PacketType.EVENT`). */
const EVENT_PACKET = 2;

/** What an adapter's broadcast is given and, for the cluster adapters, returns. */
interface ClusterBroadcast {
  broadcast(packet: { type: number; data: unknown[]; nsp: string }, opts: { rooms: Set<string>; except: Set<string>; flags: object }): void | Promise<void>;
}

/** The core's `Router` over socket.io rooms; through an adapter it reaches every node. */
export class SocketIoRouter implements Router {
  #io: TypedServer | null = null;
  #onError: (message: string, error: unknown) => void = () => {};

  attach(io: TypedServer, onError: (message: string, error: unknown) => void = () => {}): void {
    this.#io = io;
    this.#onError = onError;
  }

  toSession<E extends ServerEventName>(sessionId: string, event: E, ...args: ServerEventArgs<E>): void {
    const target = this.#io?.to(rooms.session(sessionId));
    // socket.io's broadcast typing cannot follow a generic event name; the args are checked above.
    (target?.emit as ((ev: string, ...a: unknown[]) => boolean) | undefined)?.call(target, event, ...args);
  }

  toSessionWithAck<E extends AckedServerEventName>(
    sessionId: string,
    timeoutMs: number,
    event: E,
    ...args: ArgsBeforeAck<ServerEventArgs<E>>
  ): Promise<boolean> {
    const io = this.#io;
    if (!io) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const target = io.to(rooms.session(sessionId)).timeout(timeoutMs);
      // With no connection in the room socket.io answers at once with no responses.
      const onAcks = (err: Error | null, responses: unknown[]) => resolve(!err && responses.length > 0);
      (target.emit as (ev: string, ...a: unknown[]) => boolean).call(target, event, ...args, onAcks);
    });
  }

  joinChannel(sessionId: string, appId: string, channelId: string): void {
    this.#io?.in(rooms.session(sessionId)).socketsJoin(rooms.channel(appId, channelId));
  }

  leaveChannel(sessionId: string, appId: string, channelId: string): void {
    this.#io?.in(rooms.session(sessionId)).socketsLeave(rooms.channel(appId, channelId));
  }

  toChannel<E extends ServerEventName>(appId: string, channelId: string, event: E, ...args: ServerEventArgs<E>): void {
    const target = this.#io?.to(rooms.channel(appId, channelId));
    (target?.emit as ((ev: string, ...a: unknown[]) => boolean) | undefined)?.call(target, event, ...args);
  }

  toChannelExcept<E extends ServerEventName>(
    appId: string,
    channelId: string,
    exceptSessionId: string,
    event: E,
    ...args: ServerEventArgs<E>
  ): void | Promise<void> {
    const io = this.#io;
    if (!io) return;
    const adapter = (io as { of?: (nsp: string) => { adapter?: ClusterBroadcast } }).of?.('/').adapter;
    if (typeof adapter?.broadcast === 'function') {
      // Straight to the adapter, whose broadcast resolves once the event is published to the
      // other nodes (a fleet's: written to Redis). A channel message is acknowledged to its
      // sender only then, so a node that dies right after the acknowledgement has still handed
      // it to every node. socket.io's emit() would drop that promise.
      return adapter.broadcast(
        { type: EVENT_PACKET, data: [event, ...args], nsp: '/' },
        { rooms: new Set([rooms.channel(appId, channelId)]), except: new Set([rooms.session(exceptSessionId)]), flags: {} },
      );
    }
    const target = io.to(rooms.channel(appId, channelId)).except(rooms.session(exceptSessionId));
    (target.emit as (ev: string, ...a: unknown[]) => boolean).call(target, event, ...args);
  }

  watchStatus(sessionId: string, appId: string, uids: readonly string[]): void {
    if (uids.length === 0) return;
    this.#io?.in(rooms.session(sessionId)).socketsJoin(uids.map((uid) => rooms.status(appId, uid)));
  }

  unwatchStatus(sessionId: string, appId: string, uids: readonly string[]): void {
    if (uids.length === 0) return;
    this.#io?.in(rooms.session(sessionId)).socketsLeave(uids.map((uid) => rooms.status(appId, uid)));
  }

  toStatusWatchers<E extends ServerEventName>(appId: string, uid: string, event: E, ...args: ServerEventArgs<E>): void {
    const target = this.#io?.to(rooms.status(appId, uid));
    (target?.emit as ((ev: string, ...a: unknown[]) => boolean) | undefined)?.call(target, event, ...args);
  }

  closeSession(sessionId: string, reason: SessionEndReason): void {
    const io = this.#io;
    if (!io) return;
    const room = rooms.session(sessionId);
    io.to(room).emit('session:ended', { reason });
    // Mark first so the disconnect that follows is not mistaken for a dropped connection.
    io.in(room)
      .fetchSockets()
      .then((sockets) => {
        for (const s of sockets) {
          s.data.ended = true;
          s.disconnect(true);
        }
      })
      // An adapter failure must not become an unhandled rejection (it would stop the process).
      .catch((error: unknown) => this.#onError('closing a session failed', error));
  }
}
