import type { ErrorCodeName } from '@rtm-kit/protocol';
import type { Core } from '../core/core.js';
import { CoreError } from '../core/errors.js';
import type { SessionRecord } from '../core/store.js';
import { onRequest, type Logger } from './requests.js';
import type { TypedSocket } from './types.js';

/**
 * The socket's session, if it is still the user's current one. The sender of every message is
 * this session (from the verified handshake), never anything in a payload.
 */
export async function currentSession(core: Core, socket: TypedSocket, notLoggedIn: ErrorCodeName): Promise<SessionRecord> {
  const { appId, uid, sessionId } = socket.data;
  const session = await core.sessions.get(appId, uid);
  if (!session || session.sessionId !== sessionId) throw new CoreError(notLoggedIn, 'This session has ended.');
  return session;
}

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
