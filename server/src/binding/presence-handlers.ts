import type { Core } from '../core/core.js';
import { onRequest, type Logger } from './requests.js';
import type { TypedSocket } from './types.js';

/** Online status queries and subscriptions, always of the socket's own session. */
export function registerPresenceHandlers(socket: TypedSocket, core: Core, log: Logger): void {
  const actor = { appId: socket.data.appId, uid: socket.data.uid, sessionId: socket.data.sessionId };
  const presence = core.presence;

  onRequest(socket, 'presence:query', async ({ peers }) => ({ online: await presence.query(actor, peers) }), log);
  onRequest(socket, 'presence:subscribe', ({ peers }) => presence.subscribe(actor, peers), log);
  onRequest(
    socket,
    'presence:unsubscribe',
    async ({ peers }) => {
      await presence.unsubscribe(actor, peers);
      return null;
    },
    log,
  );
  onRequest(socket, 'presence:listSubscriptions', async () => ({ peers: await presence.list(actor) }), log);
  // The epoch names this connection: its first restore is free, later ones count (§9.5, §10.5).
  onRequest(socket, 'presence:restore', ({ peers }) => presence.restore({ ...actor, epoch: socket.data.epoch }, peers), log);
}
