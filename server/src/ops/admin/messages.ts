import { serverSender } from '../../core/server-sender.js';
import { appOf, DEFAULT_ADMIN_UID, flagOf, idOf, messageOf, type AdminContext } from './context.js';
import { objectBody } from './http-io.js';
import type { AdminRoute } from './route.js';

/**
 * Messages from the server side. The sender is a uid with no session (`serverSender`): the core
 * checks and delivers them exactly as a client's, with the same size limits and the same message
 * budget (per sender uid), so a flood from a script is refused like one from a client.
 */
export const messageRoutes: readonly AdminRoute[] = [
  {
    method: 'POST',
    path: '/admin/v1/apps/{appId}/peer-messages',
    summary: 'Send a peer message as `from` (default "system") to `to`; answers whether the peer received it.',
    async handle(ctx, call) {
      const appId = appOf(ctx, call);
      const body = objectBody(await call.body(), 'PEER_MESSAGE_ERR_INVALID_MESSAGE');
      const from = senderOf(ctx, body['from'], 'PEER_MESSAGE_ERR_INVALID_USERID');
      const to = idOf(ctx, body['to'], 'PEER_MESSAGE_ERR_INVALID_USERID', '"to"');
      const message = messageOf(body, 'PEER_MESSAGE_ERR_INVALID_MESSAGE');
      const offline = flagOf(body['enableOfflineMessaging'], false, 'enableOfflineMessaging', 'PEER_MESSAGE_ERR_INVALID_MESSAGE');
      const result = await observed(ctx, 'peer', () =>
        ctx.core.peer.send(serverSender(appId, from), { id: ctx.newId(), peerId: to, message, offline }),
      );
      ctx.observer.message?.('peer', result.hasPeerReceived ? 'delivered' : 'not_delivered');
      return { body: { hasPeerReceived: result.hasPeerReceived } };
    },
  },
  {
    method: 'POST',
    path: '/admin/v1/apps/{appId}/channels/{channelId}/messages',
    summary: "Send a channel message as `from` (default \"system\") to every member; answers the channel's member count.",
    async handle(ctx, call) {
      const appId = appOf(ctx, call);
      const channelId = idOf(ctx, call.params['channelId'], 'CHANNEL_MESSAGE_ERR_NOT_IN_CHANNEL', 'The channel ID');
      const body = objectBody(await call.body(), 'CHANNEL_MESSAGE_ERR_INVALID_MESSAGE');
      const from = senderOf(ctx, body['from'], 'CHANNEL_MESSAGE_ERR_INVALID_MESSAGE');
      const message = messageOf(body, 'CHANNEL_MESSAGE_ERR_INVALID_MESSAGE');
      const members = await ctx.core.channels.count(appId, channelId);
      // Nobody to deliver to: 1.x keeps no channel history, so the message would go nowhere.
      if (members === 0) {
        ctx.observer.message?.('channel', 'no_members');
        return { body: { members: 0 } };
      }
      await observed(ctx, 'channel', () => ctx.core.channels.send(serverSender(appId, from), { id: ctx.newId(), channelId, message }));
      ctx.observer.message?.('channel', 'sent');
      return { body: { members } };
    },
  },
];

function senderOf(ctx: AdminContext, value: unknown, codeName: Parameters<typeof idOf>[2]): string {
  return value === undefined ? DEFAULT_ADMIN_UID : idOf(ctx, value, codeName, '"from"');
}

/** Runs a send, reporting a refusal (by its code name) before passing it on. */
async function observed<T>(ctx: AdminContext, kind: 'peer' | 'channel', send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    const name = (error as { codeName?: unknown }).codeName;
    ctx.observer.message?.(kind, typeof name === 'string' ? name : 'error');
    throw error;
  }
}
