import { serverSender } from '../../core/server-sender.js';
import { appOf, DEFAULT_ADMIN_UID, idOf, listOf } from './context.js';
import { MAX_BAN_SECONDS } from './bans.js';
import { AdminError, objectBody } from './http-io.js';
import type { AdminRoute } from './route.js';

/**
 * Users: kick, ban, online status. A kick or a ban ends the user's session as 1.x's server does:
 * the client goes `ABORTED` with `BANNED_BY_SERVER`, leaves its channels (members see
 * `MemberLeft`), its subscribers see it `OFFLINE`. A ban also refuses its logins until it ends.
 */
export const userRoutes: readonly AdminRoute[] = [
  {
    method: 'POST',
    path: '/admin/v1/apps/{appId}/users/{uid}/kick',
    summary: 'End the user\'s session now (ABORTED/BANNED_BY_SERVER on its client); it may log in again at once.',
    async handle(ctx, call) {
      const appId = appOf(ctx, call);
      const uid = idOf(ctx, call.params['uid'], 'LOGIN_ERR_INVALID_ARGUMENT', 'The uid');
      return { body: { kicked: await ctx.core.sessions.ban(appId, uid) } };
    },
  },
  {
    method: 'POST',
    path: '/admin/v1/apps/{appId}/users/{uid}/ban',
    summary: 'Kick the user and refuse its logins (LOGIN_ERR_REJECTED) for `seconds`.',
    async handle(ctx, call) {
      const appId = appOf(ctx, call);
      const uid = idOf(ctx, call.params['uid'], 'LOGIN_ERR_INVALID_ARGUMENT', 'The uid');
      const { seconds } = objectBody(await call.body(), 'LOGIN_ERR_INVALID_ARGUMENT');
      if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1 || seconds > MAX_BAN_SECONDS) {
        throw AdminError.invalid('LOGIN_ERR_INVALID_ARGUMENT', `"seconds" must be a whole number from 1 to ${MAX_BAN_SECONDS}.`);
      }
      const until = ctx.core.clock.now() + seconds * 1000;
      // Banned first, kicked second: a login racing the kick is already refused.
      await ctx.bans.ban(appId, uid, until);
      const kicked = await ctx.core.sessions.ban(appId, uid);
      return { body: { bannedUntil: new Date(until).toISOString(), kicked } };
    },
  },
  {
    method: 'GET',
    path: '/admin/v1/apps/{appId}/users/{uid}/ban',
    summary: 'Whether the user is banned, and until when.',
    async handle(ctx, call) {
      const appId = appOf(ctx, call);
      const uid = idOf(ctx, call.params['uid'], 'LOGIN_ERR_INVALID_ARGUMENT', 'The uid');
      const until = await ctx.bans.bannedUntil(appId, uid, ctx.core.clock.now());
      return { body: { banned: until !== null, bannedUntil: until === null ? null : new Date(until).toISOString() } };
    },
  },
  {
    method: 'DELETE',
    path: '/admin/v1/apps/{appId}/users/{uid}/ban',
    summary: 'Lift a ban.',
    async handle(ctx, call) {
      const appId = appOf(ctx, call);
      const uid = idOf(ctx, call.params['uid'], 'LOGIN_ERR_INVALID_ARGUMENT', 'The uid');
      return { body: { unbanned: await ctx.bans.unban(appId, uid, ctx.core.clock.now()) } };
    },
  },
  {
    method: 'GET',
    path: '/admin/v1/apps/{appId}/users/status',
    summary: 'Online status of users (`?uids=a,b`, as many as a client may query): true while logged in, reachable or not (queryPeersOnlineStatus).',
    async handle(ctx, call) {
      const appId = appOf(ctx, call);
      const max = ctx.core.limits.queryOnlineStatusMaxIds;
      const uids = listOf(call.query, 'uids', max, 'QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT');
      if (uids === null || uids.length === 0) {
        throw AdminError.invalid('QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT', 'Name the users: ?uids=alice,bob');
      }
      const statuses = await ctx.core.presence.query(serverSender(appId, DEFAULT_ADMIN_UID), uids);
      const online = Object.create(null) as Record<string, boolean>;
      for (const [uid, isOnline] of statuses) online[uid] = isOnline;
      return { body: { online } };
    },
  },
];
