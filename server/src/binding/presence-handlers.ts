import type { ClientEventName } from '@rtm-kit/protocol';
import type { Core } from '../core/core.js';
import type { RequestTable } from './requests.js';

type PresenceEvent = Extract<ClientEventName, `presence:${string}`>;

/** Online status queries and subscriptions, always of the socket's own session. */
export function presenceRequests(core: Core): RequestTable<PresenceEvent> {
  const presence = core.presence;
  return {
    'presence:query': { caller: 'actor', handle: async (actor, { peers }) => ({ online: await presence.query(actor, peers) }) },
    'presence:subscribe': { caller: 'actor', handle: (actor, { peers }) => presence.subscribe(actor, peers) },
    'presence:unsubscribe': {
      caller: 'actor',
      handle: async (actor, { peers }) => {
        await presence.unsubscribe(actor, peers);
        return null;
      },
    },
    'presence:listSubscriptions': { caller: 'actor', handle: async (actor) => ({ peers: await presence.list(actor) }) },
    // The actor's epoch names this connection: its first restore is free, later ones count (§9.5, §10.5).
    'presence:restore': { caller: 'actor', handle: (actor, { peers }) => presence.restore(actor, peers) },
  };
}
