import type { Core } from '../core/core.js';
import type { RequestTable } from './requests.js';

export function peerRequests(core: Core): RequestTable<'peer:send' | 'peer:fetch'> {
  const peer = core.peer;
  return {
    'peer:send': { caller: 'session', handle: (session, payload) => peer.send(session, payload) },
    'peer:fetch': { caller: 'session', handle: (session, { ack }) => peer.fetch(session, ack) },
  };
}
