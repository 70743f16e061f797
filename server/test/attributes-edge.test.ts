import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { startServer, type RtmServer } from '@rtm-kit/server';

const APP_ID = '0123456789abcdef0123456789abcdef';
const INVALID = { ok: false, error: { code: 3, name: 'ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT' } };
const OVERFLOW = { ok: false, error: { code: 4, name: 'ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW' } };

/** A raw connection, as a modified or hostile client would make, logged in as `uid`. */
async function rawUser(url: string, uid: string): Promise<Socket> {
  const socket = io(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: { v: 1, appId: APP_ID, uid, token: null, sessionId: null },
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('session:ready', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

function request(socket: Socket, event: string, payload: unknown): Promise<unknown> {
  return socket.timeout(3_000).emitWithAck(event, payload);
}

describe('attributes: the server checks every payload itself', () => {
  let server: RtmServer;
  const sockets: Socket[] = [];
  const user = async (uid: string) => {
    const s = await rawUser(server.url, uid);
    sockets.push(s);
    return s;
  };

  beforeEach(async () => {
    server = await startServer({
      port: 0,
      logger: false,
      limits: { userAttributeWriteRate: { count: 1000, windowMs: 5_000 }, channelAttributeWriteRate: { count: 1000, windowMs: 5_000 } },
    });
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    await server.close();
  });

  it.each([
    ['attributes:setUser', undefined],
    ['attributes:setUser', null],
    ['attributes:setUser', 'a=b'],
    ['attributes:setUser', { attributes: { a: 'b' } }],
    ['attributes:setUser', { attributes: [['a']] }],
    ['attributes:setUser', { attributes: [['a', 1]] }],
    ['attributes:setUser', { attributes: [['a', 'b']], uid: 'mallory' }],
    ['attributes:addOrUpdateUser', { attributes: [] }],
    ['attributes:addOrUpdateUser', { attributes: [['a', 'b'], ['a', 'c']] }],
    ['attributes:addOrUpdateUser', { attributes: [['__proto__', 'x']] }],
    ['attributes:addOrUpdateUser', { attributes: [['constructor', 'x']] }],
    ['attributes:addOrUpdateUser', { attributes: [['with space', 'x']] }],
    ['attributes:addOrUpdateUser', { attributes: [['k'.repeat(33), 'x']] }],
    ['attributes:addOrUpdateUser', { attributes: [['k', '']] }],
    ['attributes:deleteUser', { keys: 'a' }],
    ['attributes:deleteUser', { keys: [] }],
    ['attributes:deleteUser', { keys: Array.from({ length: 33 }, (_, i) => `k${i}`) }],
    ['attributes:clearUser', { everything: true }],
    ['attributes:getUser', { uid: 'bob' }],
    ['attributes:getUser', { uid: 'a/b', keys: null }],
    ['attributes:getUser', { uid: 'bob', keys: ['bad key'] }],
    ['attributes:setChannel', { channelId: 'room', attributes: [['a', 'b']] }],
    ['attributes:setChannel', { channelId: 'bad/id', attributes: [['a', 'b']], notify: false }],
    ['attributes:setChannel', { channelId: 'room', attributes: [['a', 'b']], notify: 'yes' }],
    ['attributes:addOrUpdateChannel', { channelId: 'room', attributes: [['prototype', 'b']], notify: false }],
    ['attributes:deleteChannel', { channelId: 'room', keys: [''], notify: false }],
    ['attributes:clearChannel', { channelId: 5, notify: false }],
    ['attributes:getChannel', { channelId: 'room', keys: [] }],
    ['attributes:getChannel', { channelId: 'null', keys: null }],
  ])('%s with %j is refused with INVALID_ARGUMENT (3)', async (event, payload) => {
    const alice = await user('alice');
    expect(await request(alice, event, payload)).toMatchObject(INVALID);
    // Still serving.
    expect(await request(alice, 'attributes:getUser', { uid: 'alice', keys: null })).toEqual({ ok: true, data: { attributes: [] } });
  });

  it.each([
    ['attributes:setUser', { attributes: Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v']) }],
    ['attributes:setUser', { attributes: [['k', 'v'.repeat(8193)]] }],
    ['attributes:setUser', { attributes: [['a', 'v'.repeat(8192)], ['b', 'v'.repeat(8191)]] }],
    ['attributes:setChannel', { channelId: 'room', attributes: Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v']), notify: false }],
  ])('%s with too much is refused with SIZE_OVERFLOW (4)', async (event, payload) => {
    const alice = await user('alice');
    expect(await request(alice, event, payload)).toMatchObject(OVERFLOW);
  });

  it('checks the merged set of an add-or-update against 16 KB on the server', async () => {
    const alice = await user('alice');
    expect(await request(alice, 'attributes:setUser', { attributes: [['a', 'v'.repeat(8192)]] })).toEqual({ ok: true, data: null });
    expect(await request(alice, 'attributes:addOrUpdateUser', { attributes: [['b', 'v'.repeat(8191)]] })).toMatchObject(OVERFLOW);
    expect(await request(alice, 'attributes:addOrUpdateUser', { attributes: [['b', 'v'.repeat(8190)]] })).toEqual({ ok: true, data: null });
  });

  it('writes only the session\'s own attributes, whatever the payload says', async () => {
    const alice = await user('alice');
    const bob = await user('bob');
    await request(alice, 'attributes:setUser', { attributes: [['name', 'Alice']] });
    expect(await request(bob, 'attributes:getUser', { uid: 'alice', keys: null })).toEqual({ ok: true, data: { attributes: [['name', 'Alice']] } });
    expect(await request(bob, 'attributes:getUser', { uid: 'bob', keys: null })).toEqual({ ok: true, data: { attributes: [] } });
  });

  it('refuses a write from a session that has ended (USER_NOT_LOGGED_IN, 102)', async () => {
    const alice = await user('alice');
    const session = await server.core.sessions.get(APP_ID, 'alice');
    expect(session).not.toBeNull();
    expect(await request(alice, 'session:logout', {})).toEqual({ ok: true, data: null });
    // A write still in flight from that session reaches the service after the logout.
    await expect(server.core.userAttributes.set(session!, [['a', 'b']])).rejects.toMatchObject({
      codeName: 'ATTRIBUTE_OPERATION_ERR_USER_NOT_LOGGED_IN',
    });
  });
});
