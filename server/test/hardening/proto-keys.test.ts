import { afterEach, describe, expect, it } from 'vitest';
import AgoraRTM, { type RtmClient } from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';

const APP_ID = '0123456789abcdef0123456789abcdef';
/** Valid IDs and attribute keys that name properties of Object.prototype. */
const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

/** The own value of `key`, so an inherited property never passes for an answer. */
function own(object: object, key: string): unknown {
  return Object.getOwnPropertyDescriptor(object, key)?.value;
}

describe('client strings that name Object.prototype properties are ordinary keys', () => {
  let server: RtmServer;
  const clients: RtmClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
    await server.close();
  });
  const user = async (uid: string) => {
    const client = AgoraRTM.createInstance(APP_ID, { serverUrl: server.url, logFilter: AgoraRTM.LOG_FILTER_OFF });
    clients.push(client);
    await client.login({ uid });
    return client;
  };

  it('getChannelMemberCount answers every channel, "__proto__" included', async () => {
    server = await startServer({ port: 0, logger: false });
    const alice = await user('alice');
    const bob = await user('bob');
    for (const id of PROTO_NAMES) {
      await alice.createChannel(id).join();
      await bob.createChannel(id).join();
    }
    const counts = await alice.getChannelMemberCount([...PROTO_NAMES, 'empty']);
    expect(Object.keys(counts).sort()).toEqual([...PROTO_NAMES, 'empty'].sort());
    for (const id of PROTO_NAMES) expect(own(counts, id)).toBe(2);
    expect(own(counts, 'empty')).toBe(0);
    // The answer is still an ordinary object an app can use as before.
    expect(Object.getPrototypeOf(counts)).toBe(Object.prototype);
  });

  it('queryPeersOnlineStatus and presence events report peers named "__proto__"', async () => {
    server = await startServer({ port: 0, logger: false });
    const alice = await user('alice');
    await user('__proto__');
    const status = await alice.queryPeersOnlineStatus(['__proto__', 'constructor']);
    expect(own(status, '__proto__')).toBe(true);
    expect(own(status, 'constructor')).toBe(false);

    const changes: object[] = [];
    alice.on('PeersOnlineStatusChanged', (map: object) => changes.push(map));
    await alice.subscribePeersOnlineStatus(['__proto__']);
    await expect.poll(() => changes.some((c) => own(c, '__proto__') === 'ONLINE')).toBe(true);
  });

  it('user and channel attributes keep keys named like Object.prototype properties, on users and channels named "__proto__"', async () => {
    server = await startServer({ port: 0, logger: false });
    const alice = await user('__proto__');
    const bob = await user('bob');
    // "__proto__", "constructor" and "prototype" are refused as attribute keys by design
    // (RESERVED_ATTRIBUTE_KEYS); every other inherited name is an ordinary key.
    const keys = ['toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf'];
    const attributes = Object.fromEntries(keys.map((k) => [k, `v-${k}`]));
    await alice.setLocalUserAttributes(attributes);
    const read = await bob.getUserAttributes('__proto__');
    expect(Object.keys(read).sort()).toEqual([...keys].sort());
    for (const key of keys) expect(own(read, key)).toBe(`v-${key}`);
    expect(own(await bob.getUserAttributesByKeys('__proto__', ['valueOf']), 'valueOf')).toBe('v-valueOf');

    await alice.addOrUpdateChannelAttributes('__proto__', attributes);
    const channel = await bob.getChannelAttributes('__proto__');
    expect(Object.keys(channel).sort()).toEqual([...keys].sort());
    for (const key of keys) expect(own(channel, key)).toMatchObject({ value: `v-${key}`, lastUpdateUserId: '__proto__' });
    await expect(alice.addOrUpdateLocalUserAttributes({ ['__proto__']: 'x' })).rejects.toMatchObject({ code: 3 });
  });
});
