import type { ErrorCodeName } from '@rtm-kit/protocol';
import type { Core } from '../core/core.js';
import { CoreError } from '../core/errors.js';
import type { SessionRecord } from '../core/store.js';
import type { TypedSocket } from './types.js';

/**
 * The socket's session, if it is still the user's current one; otherwise the operation fails
 * with `notLoggedIn` (each API has its own USER_NOT_LOGGED_IN code, §11). The actor of every
 * request is this session (from the verified handshake), never anything in a payload.
 *
 * The check is a snapshot: a session can end while the operation that passed it is still
 * running, so a service whose effect outlives the call (a channel join) checks again itself.
 */
export async function currentSession(core: Core, socket: TypedSocket, notLoggedIn: ErrorCodeName): Promise<SessionRecord> {
  const { appId, uid, sessionId } = socket.data;
  const session = await core.sessions.get(appId, uid);
  if (!session || session.sessionId !== sessionId) throw new CoreError(notLoggedIn, 'This session has ended.');
  return session;
}
