import type { Core } from '../core/core.js';
import { currentSession } from './current-session.js';
import { onRequest, type Logger } from './requests.js';
import type { TypedSocket } from './types.js';

export function registerSessionHandlers(socket: TypedSocket, core: Core, log: Logger): void {
  onRequest(
    socket,
    'session:logout',
    async () => {
      const session = await currentSession(core, socket, 'LOGOUT_ERR_USER_NOT_LOGGED_IN');
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
    async ({ token }) => core.sessions.renewToken(await currentSession(core, socket, 'RENEW_TOKEN_ERR_USER_NOT_LOGGED_IN'), token),
    log,
  );
}
