import type { ClientEventName } from '@rtm-kit/protocol';
import type { Core } from '../core/core.js';
import type { RequestTable } from './requests.js';

type InvitationEvent = Extract<ClientEventName, `invitation:${string}`>;

/**
 * Call invitations. Besides the requests, every new connection is handed the invitations that
 * wait for its user (`deliverPending`, called by the binding once the connection joined its
 * session's room), so a callee that logs in or comes back gets them at once (§4.1: delivery keeps
 * trying while the callee is away).
 */
export function invitationRequests(core: Core): RequestTable<InvitationEvent> {
  const invitations = core.invitations;
  return {
    'invitation:send': { caller: 'actor', handle: (actor, request) => invitations.send(actor, request) },
    'invitation:cancel': { caller: 'actor', handle: (actor, request) => invitations.cancel(actor, request) },
    'invitation:confirm': { caller: 'actor', handle: (actor, request) => invitations.confirm(actor, request) },
    'invitation:accept': { caller: 'actor', handle: (actor, request) => invitations.accept(actor, request) },
    'invitation:refuse': { caller: 'actor', handle: (actor, request) => invitations.refuse(actor, request) },
    'invitation:sync': { caller: 'actor', handle: (actor, request) => invitations.sync(actor, request) },
  };
}
