import type { Core } from '../core/core.js';
import type { RequestTable } from './requests.js';

export function sessionRequests(core: Core): RequestTable<'session:logout' | 'session:renewToken'> {
  return {
    'session:logout': {
      caller: 'session',
      handle: async (session, _payload, socket) => {
        socket.data.ended = true;
        await core.sessions.logout(session);
        // Close after the acknowledgement has been written.
        setTimeout(() => socket.disconnect(true), 0);
        return null;
      },
    },
    'session:renewToken': { caller: 'session', handle: (session, { token }) => core.sessions.renewToken(session, token) },
  };
}
