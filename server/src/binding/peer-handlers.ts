import type { Core } from '../core/core.js';
import { currentSession } from './current-session.js';
import { onRequest, type Logger } from './requests.js';
import type { TypedSocket } from './types.js';

export function registerPeerHandlers(socket: TypedSocket, core: Core, log: Logger): void {
  onRequest(
    socket,
    'peer:send',
    async (payload) => core.peer.send(await currentSession(core, socket, 'PEER_MESSAGE_ERR_USER_NOT_LOGGED_IN'), payload),
    log,
  );

  onRequest(
    socket,
    'peer:fetch',
    async ({ ack }) => core.peer.fetch(await currentSession(core, socket, 'PEER_MESSAGE_ERR_USER_NOT_LOGGED_IN'), ack),
    log,
  );
}
