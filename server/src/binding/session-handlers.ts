import type { Core } from '../core/core.js';
import { CoreError } from '../core/errors.js';
import { onRequest, type Logger } from './requests.js';
import type { TypedSocket } from './types.js';

export function registerSessionHandlers(socket: TypedSocket, core: Core, log: Logger): void {
  const { appId, uid, sessionId } = socket.data;

  onRequest(
    socket,
    'session:logout',
    async () => {
      const session = await core.sessions.get(appId, uid);
      if (!session || session.sessionId !== sessionId) {
        throw new CoreError('LOGOUT_ERR_USER_NOT_LOGGED_IN', 'This session has already ended.');
      }
      socket.data.ended = true;
      await core.sessions.logout(session);
      // Close after the acknowledgement has been written.
      setTimeout(() => socket.disconnect(true), 0);
      return null;
    },
    log,
  );

  onRequest(
    socket,
    'session:renewToken',
    async ({ token }) => {
      const session = await core.sessions.get(appId, uid);
      if (!session || session.sessionId !== sessionId) {
        throw new CoreError('RENEW_TOKEN_ERR_USER_NOT_LOGGED_IN', 'This session has ended.');
      }
      return core.sessions.renewToken(session, token);
    },
    log,
  );
}
