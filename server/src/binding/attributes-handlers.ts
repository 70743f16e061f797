import type { ClientEventName } from '@rtm-kit/protocol';
import type { Core } from '../core/core.js';
import type { RequestTable } from './requests.js';

type AttributesEvent = Extract<ClientEventName, `attributes:${string}`>;

const done = () => null;

/**
 * User and channel attributes. The services get the socket's actor without anything awaited
 * first, so a client's writes reach the store in the order it sent them (a session that ended
 * meanwhile is refused by the store, which owns that check).
 */
export function attributesRequests(core: Core): RequestTable<AttributesEvent> {
  const users = core.userAttributes;
  const channels = core.channelAttributes;
  return {
    'attributes:setUser': { caller: 'actor', handle: (actor, { attributes }) => users.set(actor, attributes).then(done) },
    'attributes:addOrUpdateUser': {
      caller: 'actor',
      handle: (actor, { attributes }) => users.addOrUpdate(actor, attributes).then(done),
    },
    'attributes:deleteUser': { caller: 'actor', handle: (actor, { keys }) => users.deleteByKeys(actor, keys).then(done) },
    'attributes:clearUser': { caller: 'actor', handle: (actor) => users.clear(actor).then(done) },
    'attributes:getUser': {
      caller: 'actor',
      handle: async (actor, { uid, keys }) => ({ attributes: await users.get(actor, uid, keys) }),
    },
    'attributes:setChannel': {
      caller: 'actor',
      handle: (actor, { channelId, attributes, notify }) => channels.set(actor, channelId, attributes, { notify }).then(done),
    },
    'attributes:addOrUpdateChannel': {
      caller: 'actor',
      handle: (actor, { channelId, attributes, notify }) => channels.addOrUpdate(actor, channelId, attributes, { notify }).then(done),
    },
    'attributes:deleteChannel': {
      caller: 'actor',
      handle: (actor, { channelId, keys, notify }) => channels.deleteByKeys(actor, channelId, keys, { notify }).then(done),
    },
    'attributes:clearChannel': {
      caller: 'actor',
      handle: (actor, { channelId, notify }) => channels.clear(actor, channelId, { notify }).then(done),
    },
    'attributes:getChannel': {
      caller: 'actor',
      handle: async (actor, { channelId, keys }) => ({ attributes: await channels.get(actor, channelId, keys) }),
    },
  };
}
