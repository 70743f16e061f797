import type { ServerEventArgs, ServerEventName, SessionEndReason } from '@rtm-kit/protocol';
import type { Router } from '../core/router.js';
import { rooms, type TypedServer } from './types.js';

/** The core's `Router` over socket.io rooms; through an adapter it reaches every node. */
export class SocketIoRouter implements Router {
  #io: TypedServer | null = null;

  attach(io: TypedServer): void {
    this.#io = io;
  }

  toSession<E extends ServerEventName>(sessionId: string, event: E, ...args: ServerEventArgs<E>): void {
    const target = this.#io?.to(rooms.session(sessionId));
    // socket.io's broadcast typing cannot follow a generic event name; the args are checked above.
    (target?.emit as ((ev: string, ...a: unknown[]) => boolean) | undefined)?.call(target, event, ...args);
  }

  closeSession(sessionId: string, reason: SessionEndReason): void {
    const io = this.#io;
    if (!io) return;
    const room = rooms.session(sessionId);
    io.to(room).emit('session:ended', { reason });
    // Mark first so the disconnect that follows is not mistaken for a dropped connection.
    void io
      .in(room)
      .fetchSockets()
      .then((sockets) => {
        for (const s of sockets) {
          s.data.ended = true;
          s.disconnect(true);
        }
      });
  }
}
