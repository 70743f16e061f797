import type { AttributeEntry } from '@rtm-kit/protocol';
import { serverSender } from '../../core/server-sender.js';
import type { SessionRecord } from '../../core/store.js';
import { appOf, DEFAULT_ADMIN_UID, flagOf, idOf, listOf, type AdminCall, type AdminContext } from './context.js';
import { AdminError, objectBody } from './http-io.js';
import type { AdminRoute } from './route.js';

/**
 * Channel and user attributes, through the same services, checks and rate limits as clients.
 *
 * Channel attributes: an operator reads and writes them like any client, as `from` (default
 * "system", which members then see as `lastUpdateUserId`), optionally notifying the members
 * (`notify`, like `enableNotificationToChannelMembers`).
 *
 * User attributes belong to the user's session (they go when it ends, and the client re-applies
 * its own copy when it logs in again). An operator may read anyone's; may write those of a user
 * who is logged in, on behalf of that session (counted against that user's budget); and gets a
 * 404 for a user with no session. A write is not pushed to anyone (1.x has no event for it), and
 * the user's own client will put its local copy back after its next fresh login.
 */
export const attributeRoutes: readonly AdminRoute[] = [
  {
    method: 'GET',
    path: '/admin/v1/apps/{appId}/channels/{channelId}/attributes',
    summary: 'Channel attributes (all, or `?keys=a,b`), each with its last writer and time.',
    async handle(ctx, call) {
      const appId = appOf(ctx, call);
      const channelId = channelOf(ctx, call);
      const keys = listOf(call.query, 'keys', ctx.core.limits.attributeKeysPerQuery, INVALID);
      const stored = await ctx.core.channelAttributes.get(serverSender(appId, DEFAULT_ADMIN_UID), channelId, keys);
      const attributes = Object.create(null) as Record<string, unknown>;
      for (const a of stored) attributes[a.key] = { value: a.value, lastUpdateUserId: a.lastUpdateUserId, lastUpdateTs: a.lastUpdateTs };
      return { body: { attributes } };
    },
  },
  channelWrite('PUT', 'Replace the channel attributes with `attributes` (setChannelAttributes).', (ctx, actor, channelId, body, notify) =>
    ctx.core.channelAttributes.set(actor, channelId, entriesOf(body), { notify }),
  ),
  channelWrite('PATCH', 'Add or update the keys of `attributes` (addOrUpdateChannelAttributes).', (ctx, actor, channelId, body, notify) =>
    ctx.core.channelAttributes.addOrUpdate(actor, channelId, entriesOf(body), { notify }),
  ),
  channelWrite('DELETE', 'Delete the keys of `keys` (deleteChannelAttributesByKeys), or all of them without it (clearChannelAttributes).', (ctx, actor, channelId, body, notify) => {
    const keys = keysOf(body);
    return keys === null
      ? ctx.core.channelAttributes.clear(actor, channelId, { notify })
      : ctx.core.channelAttributes.deleteByKeys(actor, channelId, keys, { notify });
  }),
  {
    method: 'GET',
    path: '/admin/v1/apps/{appId}/users/{uid}/attributes',
    summary: "A user's attributes (all, or `?keys=a,b`); empty for a user who is not logged in.",
    async handle(ctx, call) {
      const appId = appOf(ctx, call);
      const uid = idOf(ctx, call.params['uid'], INVALID, 'The uid');
      const keys = listOf(call.query, 'keys', ctx.core.limits.attributeKeysPerQuery, INVALID);
      const entries = await ctx.core.userAttributes.get(serverSender(appId, DEFAULT_ADMIN_UID), uid, keys);
      return { body: { attributes: Object.fromEntries(entries) } };
    },
  },
  userWrite('PUT', "Replace a logged-in user's attributes with `attributes` (setLocalUserAttributes).", (ctx, session, body) =>
    ctx.core.userAttributes.set(session, entriesOf(body)),
  ),
  userWrite('PATCH', "Add or update keys of a logged-in user's attributes (addOrUpdateLocalUserAttributes).", (ctx, session, body) =>
    ctx.core.userAttributes.addOrUpdate(session, entriesOf(body)),
  ),
  userWrite('DELETE', "Delete the keys of `keys` of a logged-in user's attributes, or all of them without it.", (ctx, session, body) => {
    const keys = keysOf(body);
    return keys === null ? ctx.core.userAttributes.clear(session) : ctx.core.userAttributes.deleteByKeys(session, keys);
  }),
];

const INVALID = 'ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT';

type ChannelWrite = (ctx: AdminContext, actor: SessionRecord, channelId: string, body: Record<string, unknown>, notify: boolean) => Promise<void>;

function channelWrite(method: 'PUT' | 'PATCH' | 'DELETE', summary: string, write: ChannelWrite): AdminRoute {
  return {
    method,
    path: '/admin/v1/apps/{appId}/channels/{channelId}/attributes',
    summary: `${summary} As \`from\` (default "system"); \`notify\` tells the members.`,
    async handle(ctx, call) {
      const appId = appOf(ctx, call);
      const channelId = channelOf(ctx, call);
      const body = objectBody(await call.body(), INVALID);
      const from = body['from'] === undefined ? DEFAULT_ADMIN_UID : idOf(ctx, body['from'], INVALID, '"from"');
      const notify = flagOf(body['notify'], false, 'notify', INVALID);
      await write(ctx, serverSender(appId, from), channelId, body, notify);
      return { body: { ok: true } };
    },
  };
}

type UserWrite = (ctx: AdminContext, session: SessionRecord, body: Record<string, unknown>) => Promise<void>;

function userWrite(method: 'PUT' | 'PATCH' | 'DELETE', summary: string, write: UserWrite): AdminRoute {
  return {
    method,
    path: '/admin/v1/apps/{appId}/users/{uid}/attributes',
    summary: `${summary} 404 when the user has no session.`,
    async handle(ctx, call) {
      const appId = appOf(ctx, call);
      const uid = idOf(ctx, call.params['uid'], INVALID, 'The uid');
      const body = objectBody(await call.body(), INVALID);
      const session = await ctx.core.sessions.get(appId, uid);
      if (!session) {
        throw AdminError.spec(404, 'ATTRIBUTE_OPERATION_ERR_USER_NOT_LOGGED_IN', 'User attributes belong to a session, and this user has none.');
      }
      await write(ctx, session, body);
      return { body: { ok: true } };
    },
  };
}

function channelOf(ctx: AdminContext, call: AdminCall): string {
  return idOf(ctx, call.params['channelId'], INVALID, 'The channel ID');
}

/** `{ "attributes": { "key": "value" } }` as entries; the core checks keys, values and sizes. */
function entriesOf(body: Record<string, unknown>): AttributeEntry[] {
  const { attributes } = body;
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) {
    throw AdminError.invalid(INVALID, '"attributes" must be an object of string values: { "key": "value" }.');
  }
  const entries = Object.entries(attributes as Record<string, unknown>);
  if (!entries.every((entry): entry is [string, string] => typeof entry[1] === 'string')) {
    throw AdminError.invalid(INVALID, 'Every attribute value must be a string.');
  }
  return entries;
}

/** `{ "keys": ["a", "b"] }`, or null when absent (everything). */
function keysOf(body: Record<string, unknown>): string[] | null {
  const { keys } = body;
  if (keys === undefined) return null;
  if (!Array.isArray(keys) || !keys.every((k): k is string => typeof k === 'string')) {
    throw AdminError.invalid(INVALID, '"keys" must be an array of strings.');
  }
  return keys;
}
