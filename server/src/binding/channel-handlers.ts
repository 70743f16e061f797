import type { Core } from '../core/core.js';
import { currentSession } from './current-session.js';
import { onRequest, type Logger } from './requests.js';
import type { TypedSocket } from './types.js';

export function registerChannelHandlers(socket: TypedSocket, core: Core, log: Logger): void {
  onRequest(
    socket,
    'channel:join',
    async ({ channelId }) => core.channels.join(await currentSession(core, socket, 'JOIN_CHANNEL_ERR_USER_NOT_LOGGED_IN'), channelId),
    log,
  );

  onRequest(
    socket,
    'channel:leave',
    async ({ channelId }) => {
      await core.channels.leave(await currentSession(core, socket, 'LEAVE_CHANNEL_ERR_USER_NOT_LOGGED_IN'), channelId);
      return null;
    },
    log,
  );

  onRequest(
    socket,
    'channel:send',
    async (payload) => {
      await core.channels.send(await currentSession(core, socket, 'CHANNEL_MESSAGE_ERR_USER_NOT_LOGGED_IN'), payload);
      return null;
    },
    log,
  );

  onRequest(
    socket,
    'channel:getMembers',
    async ({ channelId }) => ({
      members: await core.channels.getMembers(await currentSession(core, socket, 'GET_MEMBERS_ERR_USER_NOT_LOGGED_IN'), channelId),
    }),
    log,
  );

  onRequest(
    socket,
    'channel:getMemberCount',
    async ({ channelIds }) => ({
      counts: await core.channels.getMemberCounts(
        await currentSession(core, socket, 'GET_CHANNEL_MEMBER_COUNT_ERR_USER_NOT_LOGGED_IN'),
        channelIds,
      ),
    }),
    log,
  );

  onRequest(
    socket,
    'channel:resume',
    async (payload) => core.channels.resume(await currentSession(core, socket, 'JOIN_CHANNEL_ERR_USER_NOT_LOGGED_IN'), payload),
    log,
  );
}
