import type { ClientEventName } from '@rtm-kit/protocol';
import type { Core } from '../core/core.js';
import type { RequestTable } from './requests.js';

type ChannelEvent = Extract<ClientEventName, `channel:${string}`>;

export function channelRequests(core: Core): RequestTable<ChannelEvent> {
  const channels = core.channels;
  return {
    'channel:join': { caller: 'session', handle: (session, { channelId }) => channels.join(session, channelId) },
    'channel:leave': {
      caller: 'session',
      handle: async (session, { channelId }) => {
        await channels.leave(session, channelId);
        return null;
      },
    },
    'channel:send': {
      caller: 'session',
      handle: async (session, payload) => {
        const seq = await channels.send(session, payload);
        return seq === null ? null : { seq };
      },
    },
    'channel:getMembers': {
      caller: 'session',
      handle: async (session, { channelId }) => ({ members: await channels.getMembers(session, channelId) }),
    },
    'channel:getMemberCount': {
      caller: 'session',
      handle: async (session, { channelIds }) => ({ counts: await channels.getMemberCounts(session, channelIds) }),
    },
    'channel:resume': { caller: 'session', handle: (session, payload) => channels.resume(session, payload) },
  };
}
