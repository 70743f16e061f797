import type { Core } from '../core/core.js';
import { onRequest, type Logger } from './requests.js';
import type { TypedSocket } from './types.js';

/**
 * Call invitations. Besides the requests, every new connection is handed the invitations that
 * wait for its user: this runs after the connection joined its session's room, so a callee that
 * logs in or comes back gets them at once (§4.1: delivery keeps trying while the callee is away).
 */
export function registerInvitationHandlers(socket: TypedSocket, core: Core, log: Logger): void {
  const actor = { appId: socket.data.appId, uid: socket.data.uid, sessionId: socket.data.sessionId };
  const invitations = core.invitations;

  onRequest(socket, 'invitation:send', (request) => invitations.send(actor, request), log);
  onRequest(socket, 'invitation:cancel', (request) => invitations.cancel(actor, request), log);
  onRequest(socket, 'invitation:confirm', (request) => invitations.confirm(actor, request), log);
  onRequest(socket, 'invitation:accept', (request) => invitations.accept(actor, request), log);
  onRequest(socket, 'invitation:refuse', (request) => invitations.refuse(actor, request), log);
  onRequest(socket, 'invitation:sync', (request) => invitations.sync(actor, request), log);

  invitations.deliverPending(actor).catch((error: unknown) => log.error('delivering waiting invitations failed', error));
}
