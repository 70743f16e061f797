import type { Logger } from '../../binding/requests.js';
import type { TypedServer } from '../../binding/types.js';
import { logEvent } from './log-event.js';

/** A debug line per logged-in connection and its end, with its id, app and user. */
export function logConnections(io: TypedServer, log: Logger): void {
  io.on('connection', (socket) => {
    const fields = { connectionId: socket.id, appId: socket.data.appId, uid: socket.data.uid };
    logEvent(log, 'debug', fields, 'connection logged in');
    socket.once('disconnect', (reason) => logEvent(log, 'debug', { ...fields, reason }, 'connection closed'));
  });
}
