import type { Core } from '../core/core.js';
import { onRequest, type Logger } from './requests.js';
import type { TypedSocket } from './types.js';

/**
 * User and channel attributes. The acting session is the socket's own; the handlers call the
 * services without awaiting anything first, so a client's writes reach the store in the order it
 * sent them (a session that ended meanwhile is refused by the store, which owns that check).
 */
export function registerAttributesHandlers(socket: TypedSocket, core: Core, log: Logger): void {
  const actor = { appId: socket.data.appId, uid: socket.data.uid, sessionId: socket.data.sessionId };
  const users = core.userAttributes;
  const channels = core.channelAttributes;
  const done = () => null;

  onRequest(socket, 'attributes:setUser', ({ attributes }) => users.set(actor, attributes).then(done), log);
  onRequest(socket, 'attributes:addOrUpdateUser', ({ attributes }) => users.addOrUpdate(actor, attributes).then(done), log);
  onRequest(socket, 'attributes:deleteUser', ({ keys }) => users.deleteByKeys(actor, keys).then(done), log);
  onRequest(socket, 'attributes:clearUser', () => users.clear(actor).then(done), log);
  onRequest(socket, 'attributes:getUser', async ({ uid, keys }) => ({ attributes: await users.get(actor, uid, keys) }), log);

  onRequest(
    socket,
    'attributes:setChannel',
    ({ channelId, attributes, notify }) => channels.set(actor, channelId, attributes, { notify }).then(done),
    log,
  );
  onRequest(
    socket,
    'attributes:addOrUpdateChannel',
    ({ channelId, attributes, notify }) => channels.addOrUpdate(actor, channelId, attributes, { notify }).then(done),
    log,
  );
  onRequest(
    socket,
    'attributes:deleteChannel',
    ({ channelId, keys, notify }) => channels.deleteByKeys(actor, channelId, keys, { notify }).then(done),
    log,
  );
  onRequest(socket, 'attributes:clearChannel', ({ channelId, notify }) => channels.clear(actor, channelId, { notify }).then(done), log);
  onRequest(
    socket,
    'attributes:getChannel',
    async ({ channelId, keys }) => ({ attributes: await channels.get(actor, channelId, keys) }),
    log,
  );
}
