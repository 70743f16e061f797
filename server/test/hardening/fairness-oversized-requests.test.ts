import { afterEach, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { DEFAULT_LIMITS } from '@rtm-kit/protocol';
import { clientEventSchemas, WIRE_BOUNDS } from '@rtm-kit/protocol/schemas';
import { MemoryStore, startServer, type RtmServer, type ServerOptions } from '@rtm-kit/server';
import { createCore, systemClock, type Router } from '@rtm-kit/server/core';

const APP_ID = '0123456789abcdef0123456789abcdef';
type Answer = { ok: boolean; data?: unknown; error?: { code: number; name: string; message: string } };

/** A raw socket.io connection logged in as `uid`: what a modified client can send. */
async function rawUser(url: string, uid: string): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { v: 1, appId: APP_ID, uid, token: null, sessionId: null } });
  await new Promise<void>((resolve, reject) => {
    socket.once('session:ready', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

const ask = (socket: Socket, event: string, payload: unknown): Promise<Answer> => socket.timeout(5_000).emitWithAck(event, payload);
/** `n` distinct short IDs, so 20 000 of them fit in one socket.io packet. */
const ids = (n: number) => Array.from({ length: n }, (_, i) => i.toString(36));

describe('requests far past their limits are refused cheaply, with the operation’s invalid-argument code', () => {
  let server: RtmServer;
  const sockets: Socket[] = [];
  const start = async (options: ServerOptions = {}) => {
    server = await startServer({ port: 0, logger: false, ...options });
  };
  const user = async (uid: string) => {
    const s = await rawUser(server.url, uid);
    sockets.push(s);
    return s;
  };
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    await server.close();
  });

  it.each([
    ['presence:query', { peers: ids(20_000) }, 'QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT', 2],
    ['presence:subscribe', { peers: ids(20_000) }, 'PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT', 2],
    ['presence:unsubscribe', { peers: ids(20_000) }, 'PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT', 2],
    ['presence:restore', { peers: ids(20_000) }, 'PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT', 2],
    ['attributes:getUser', { uid: 'bob', keys: ids(20_000) }, 'ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT', 3],
    ['attributes:deleteChannel', { channelId: 'c', keys: ids(20_000), notify: false }, 'ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT', 3],
    ['attributes:setUser', { attributes: ids(10_000).map((k) => [k, 'v']) }, 'ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT', 3],
    ['channel:getMemberCount', { channelIds: ids(20_000) }, 'GET_CHANNEL_MEMBER_COUNT_ERR_INVALID_ARGUMENT', 2],
    ['channel:resume', { channels: ids(5_000).map((channelId) => ({ channelId, lastSeq: null })) }, 'JOIN_CHANNEL_ERR_INVALID_ARGUMENT', 3],
  ])('%s with thousands of items: %s', async (event, payload, name, code) => {
    await start();
    const mallory = await user('mallory');
    const answer = await ask(mallory, event, payload);
    expect(answer).toMatchObject({ ok: false, error: { code, name, message: expect.stringMatching(/Too big: expected array to have <=\d+ items/) } });
    // The connection is still served.
    expect(await ask(mallory, 'presence:query', { peers: ['mallory'] })).toEqual({ ok: true, data: { online: [['mallory', true]] } });
  });

  it('still answers a request a little over the spec limit with the spec’s own code', async () => {
    await start({ limits: { subscribeRate: { count: 100, windowMs: 5_000 }, queryOnlineStatusRate: { count: 100, windowMs: 5_000 } } });
    const alice = await user('alice');
    expect(await ask(alice, 'presence:subscribe', { peers: ids(DEFAULT_LIMITS.subscriptionMaxPeers + 88) })).toMatchObject({
      ok: false,
      error: { code: 6, name: 'PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW', message: 'At most 512 peer IDs per call.' },
    });
    expect(await ask(alice, 'presence:query', { peers: ids(DEFAULT_LIMITS.queryOnlineStatusMaxIds + 1) })).toMatchObject({
      ok: false,
      error: { code: 2, message: 'At most 256 peer IDs per call.' },
    });
    expect(await ask(alice, 'channel:getMemberCount', { channelIds: ids(DEFAULT_LIMITS.memberCountChannelsMax + 8) })).toMatchObject({
      ok: false,
      error: { code: 5, name: 'GET_CHANNEL_MEMBER_COUNT_ERR_EXCEED_LIMIT' },
    });
    expect(await ask(alice, 'attributes:setUser', { attributes: ids(DEFAULT_LIMITS.attributesPerCall + 1).map((k) => [k, 'v']) })).toMatchObject({
      ok: false,
      error: { code: 4, name: 'ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW' },
    });
  });

  // The choice: a request within its wire bound pays its call before any item is checked, so
  // refused requests count toward the rate limit; one past the bound is refused at the schema,
  // before a service (and its rate limit) sees it, at the cost of one length comparison.
  it('charges the rate limit before it checks the items of a request', async () => {
    await start({ limits: { queryOnlineStatusRate: { count: 3, windowMs: 60_000 }, userAttributeWriteRate: { count: 2, windowMs: 60_000 } } });
    const mallory = await user('mallory');
    const invalid = [...ids(200), 'not/valid'];
    for (let i = 0; i < 3; i++) {
      expect(await ask(mallory, 'presence:query', { peers: invalid })).toMatchObject({
        ok: false,
        error: { code: 2, message: '"not/valid" is not a valid peer ID.' },
      });
    }
    expect(await ask(mallory, 'presence:query', { peers: ['bob'] })).toMatchObject({ ok: false, error: { code: 5, name: 'QUERY_PEERS_ONLINE_STATUS_ERR_TOO_OFTEN' } });
    // Now over budget, a request is refused before its items are looked at: the limiter's code, not the item's.
    expect(await ask(mallory, 'presence:query', { peers: invalid })).toMatchObject({ ok: false, error: { code: 5 } });

    for (let i = 0; i < 2; i++) {
      expect(await ask(mallory, 'attributes:setUser', { attributes: [['ok', 'v'], ['', 'empty key']] })).toMatchObject({ ok: false, error: { code: 3 } });
    }
    expect(await ask(mallory, 'attributes:setUser', { attributes: [['ok', 'v']] })).toMatchObject({ ok: false, error: { code: 5, name: 'ATTRIBUTE_OPERATION_ERR_TOO_OFTEN' } });
  });

  it('refuses a request past its wire bound before the service: it does not reach the rate limit', async () => {
    await start({ limits: { queryOnlineStatusRate: { count: 1, windowMs: 60_000 } } });
    const mallory = await user('mallory');
    for (let i = 0; i < 5; i++) expect(await ask(mallory, 'presence:query', { peers: ids(20_000) })).toMatchObject({ ok: false, error: { code: 2 } });
    expect(await ask(mallory, 'presence:query', { peers: ['mallory'] })).toMatchObject({ ok: true });
  });

  it('bounds every array and string the schemas accept', async () => {
    await start();
    const alice = await user('alice');
    const cases: Array<[string, unknown, number]> = [
      ['peer:send', { id: 'msg-00000001', peerId: 'p'.repeat(WIRE_BOUNDS.id + 1), message: { type: 'TEXT', text: 'x' }, offline: false }, 7],
      ['peer:send', { id: 'msg-00000002', peerId: 'bob', message: { type: 'TEXT', text: 'x'.repeat(WIRE_BOUNDS.messagePart + 1) }, offline: false }, 7],
      ['channel:join', { channelId: 'c'.repeat(WIRE_BOUNDS.id + 1) }, 3],
      ['attributes:setUser', { attributes: [['k', 'v'.repeat(WIRE_BOUNDS.attributeValue + 1)]] }, 3],
      ['attributes:getUser', { uid: 'bob', keys: ['k'.repeat(WIRE_BOUNDS.attributeKey + 1)] }, 3],
      ['invitation:send', { callId: 'call-1', calleeId: 'bob', content: 'c'.repeat(WIRE_BOUNDS.invitationText + 1), channelId: '' }, 1],
    ];
    for (const [event, payload, code] of cases) {
      expect(await ask(alice, event, payload)).toMatchObject({ ok: false, error: { code, message: expect.stringContaining('Too big') } });
    }
  });
});

describe('the schemas', () => {
  it('refuse a list past its bound without reading a single item', () => {
    let reads = 0;
    const counting = (items: string[]) =>
      new Proxy(items, {
        get(target, key, receiver) {
          if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
          return Reflect.get(target, key, receiver) as unknown;
        },
      });
    expect(clientEventSchemas['presence:subscribe'].safeParse({ peers: counting(ids(20_000)) }).success).toBe(false);
    expect(clientEventSchemas['attributes:getUser'].safeParse({ uid: 'bob', keys: counting(ids(20_000)) }).success).toBe(false);
    expect(reads).toBe(0);
    // Within the bound every item is read (so the count above means something).
    expect(clientEventSchemas['presence:subscribe'].safeParse({ peers: counting(ids(600)) }).success).toBe(true);
    expect(reads).toBe(600);
  });

  it('leave room above every default limit, and createCore refuses a limit no request could reach', () => {
    const core = (limits: object) =>
      createCore({ store: new MemoryStore(), router: {} as Router, clock: systemClock, tokens: { verify: () => ({ ok: true, expiresAt: null }) }, limits, newId: () => 'x' });
    expect(() => core({}).dispose()).not.toThrow();
    expect(() => core({ subscriptionMaxPeers: WIRE_BOUNDS.subscriptionPeers }).dispose()).not.toThrow();
    expect(() => core({ subscriptionMaxPeers: WIRE_BOUNDS.subscriptionPeers + 1, attributeValueMaxBytes: 1_000_000 })).toThrow(
      /limits\.subscriptionMaxPeers is 2049, above the 2048 a request can carry; limits\.attributeValueMaxBytes is 1000000/,
    );
  });
});
