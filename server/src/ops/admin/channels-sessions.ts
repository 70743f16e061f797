import { isValidId } from '@rtm-kit/protocol';
import { appOf, idOf } from './context.js';
import { AdminError } from './http-io.js';
import type { AdminRoute } from './route.js';

/** Listings: a channel's members, an app's sessions. */
export const listingRoutes: readonly AdminRoute[] = [
  {
    method: 'GET',
    path: '/admin/v1/apps/{appId}/channels/{channelId}/members',
    summary: "Every member of a channel (not capped like a client's getMembers) and their count.",
    async handle(ctx, call) {
      const appId = appOf(ctx, call);
      const channelId = idOf(ctx, call.params['channelId'], 'GET_MEMBERS_ERR_FAILURE', 'The channel ID');
      const members = await ctx.core.channels.members(appId, channelId);
      return { body: { members, count: members.length } };
    },
  },
  {
    method: 'GET',
    path: '/admin/v1/apps/{appId}/sessions',
    summary:
      'Current sessions of an app by uid, `?limit=` (1–1000, default 100) at a time; pass `next` as `?after=` for the following page.',
    async handle(ctx, call) {
      const appId = appOf(ctx, call);
      const limitText = call.query.get('limit');
      const limit = limitText === null ? DEFAULT_PAGE : Number(limitText);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
        throw new AdminError(400, 'INVALID_ARGUMENT', `"limit" must be a whole number from 1 to ${MAX_PAGE}.`);
      }
      const after = call.query.get('after') ?? undefined;
      if (after !== undefined && !isValidId(after, ctx.core.limits.idMaxLength)) {
        throw new AdminError(400, 'INVALID_ARGUMENT', '"after" must be a uid, as given in "next".');
      }
      // One more than asked, to know whether there is a next page.
      const found = await ctx.core.sessions.list(appId, limit + 1, after);
      const page = found.slice(0, limit);
      // Session IDs and resume secrets stay out: with the ID a request can act for the session.
      const sessions = page.map((s) => ({
        uid: s.uid,
        connected: s.connected,
        startedAt: new Date(s.startedAt).toISOString(),
        disconnectedAt: s.disconnectedAt === null ? null : new Date(s.disconnectedAt).toISOString(),
        tokenExpiresAt: s.tokenExpiresAt === null ? null : new Date(s.tokenExpiresAt).toISOString(),
      }));
      return { body: { sessions, next: found.length > limit ? (page.at(-1)?.uid ?? null) : null } };
    },
  },
];

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1_000;
