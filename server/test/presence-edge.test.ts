import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { createManualClock } from '@rtm-kit/server/testing';

const APP_ID = '0123456789abcdef0123456789abcdef';

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

const queryInvalid = { ok: false, error: { code: 2, name: 'QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT' } };
const subscriptionInvalid = { ok: false, error: { code: 2, name: 'PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT' } };

describe('presence: the server checks every payload itself', () => {
  let server: RtmServer;
  const sockets: Socket[] = [];
  const user = async (uid: string) => {
    const s = await rawUser(server.url, uid);
    sockets.push(s);
    return s;
  };

  beforeEach(async () => {
    server = await startServer({ port: 0, logger: false, limits: { subscriptionMaxPeers: 4 } });
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    await server.close();
  });

  it.each([
    ['presence:query', undefined, queryInvalid],
    ['presence:query', { peers: 'bob' }, queryInvalid],
    ['presence:query', { peers: [] }, queryInvalid],
    ['presence:query', { peers: ['a/b'] }, queryInvalid],
    ['presence:query', { peers: Array.from({ length: 257 }, (_, i) => `u${i}`) }, queryInvalid],
    ['presence:query', { peers: ['bob'], extra: 1 }, queryInvalid],
    ['presence:subscribe', { peers: [1] }, subscriptionInvalid],
    ['presence:subscribe', { peers: [] }, subscriptionInvalid],
    ['presence:subscribe', { peers: ['null'] }, subscriptionInvalid],
    ['presence:unsubscribe', {}, subscriptionInvalid],
    ['presence:unsubscribe', { peers: [''] }, subscriptionInvalid],
    ['presence:restore', { peers: 'x' }, subscriptionInvalid],
    ['presence:restore', { peers: ['bad/id'] }, subscriptionInvalid],
    ['presence:listSubscriptions', { option: 'ONLINE_STATUS' }, { ok: false, error: { code: 1, name: 'QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_FAILURE' } }],
    ['presence:subscribe', { peers: ['a', 'b', 'c', 'd', 'e'] }, { ok: false, error: { code: 6, name: 'PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW' } }],
    ['presence:restore', { peers: ['a', 'b', 'c', 'd', 'e'] }, { ok: false, error: { code: 6, name: 'PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW' } }],
  ])('%s with %j is refused with its code', async (event, payload, expected) => {
    const alice = await user('alice');
    expect(await request(alice, event, payload)).toMatchObject(expected);
    expect(await request(alice, 'presence:query', { peers: ['alice'] })).toEqual({ ok: true, data: { online: [['alice', true]] } });
  });

  it('answers a subscribe with a versioned snapshot and sends later changes with higher versions', async () => {
    const alice = await user('alice');
    const changes: Array<{ uid: string; state: string; version: number }> = [];
    alice.on('presence:changed', (change) => changes.push(change));
    const answer = (await request(alice, 'presence:subscribe', { peers: ['bob', 'bob'] })) as {
      ok: true;
      data: { version: number; peers: Array<{ uid: string; state: string }> };
    };
    expect(answer.data.peers).toEqual([{ uid: 'bob', state: 'OFFLINE' }]);
    const bob = await user('bob');
    await new Promise((r) => setTimeout(r, 100));
    expect(changes).toEqual([{ uid: 'bob', state: 'ONLINE', version: expect.any(Number) }]);
    expect(changes[0]!.version).toBeGreaterThan(answer.data.version);
    bob.disconnect(); // a dropped connection: UNREACHABLE within the grace period
    await new Promise((r) => setTimeout(r, 100));
    expect(changes.map((c) => c.state)).toEqual(['ONLINE', 'UNREACHABLE']);
    expect(changes[1]!.version).toBeGreaterThan(changes[0]!.version);
  });

  it('counts the subscriptions of the session, not of the payload, against the cap', async () => {
    const alice = await user('alice');
    expect(await request(alice, 'presence:subscribe', { peers: ['a', 'b', 'c'] })).toMatchObject({ ok: true });
    expect(await request(alice, 'presence:subscribe', { peers: ['a', 'd'] })).toMatchObject({ ok: true });
    expect(await request(alice, 'presence:subscribe', { peers: ['e'] })).toMatchObject({ ok: false, error: { code: 6 } });
    expect(await request(alice, 'presence:unsubscribe', { peers: ['a'] })).toEqual({ ok: true, data: null });
    expect(await request(alice, 'presence:subscribe', { peers: ['e'] })).toMatchObject({ ok: true });
    const list = (await request(alice, 'presence:listSubscriptions', {})) as { data: { peers: string[] } };
    expect(list.data.peers.sort()).toEqual(['b', 'c', 'd', 'e']);
  });
});

describe('presence: restores after a reconnect and the subscribe rate (§10.5)', () => {
  let server: RtmServer;
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    await server.close();
  });

  /** Connects as `uid`, resuming a session when given one; returns the socket and its session. */
  async function connect(
    uid: string,
    resume: { sessionId: string; resumeSecret: string } | null,
  ): Promise<{ socket: Socket; sessionId: string; resumeSecret: string; resumed: boolean }> {
    const socket = io(server.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth: { v: 1, appId: APP_ID, uid, token: null, sessionId: resume?.sessionId ?? null, resumeSecret: resume?.resumeSecret ?? null },
    });
    sockets.push(socket);
    const ready = await new Promise<{ sessionId: string; resumeSecret: string; resumed: boolean }>((resolve, reject) => {
      socket.once('session:ready', resolve);
      socket.once('connect_error', reject);
    });
    return { socket, ...ready };
  }

  const tooOften = { ok: false, error: { code: 5, name: 'PEER_SUBSCRIPTION_STATUS_ERR_TOO_OFTEN' } };

  it('lets the first restore of each connection through, and counts every other one as a subscribe', async () => {
    server = await startServer({ port: 0, logger: false });
    const first = await connect('alice', null);
    const answers: unknown[] = [];
    // Back to back, each naming new peers: only the first is free.
    for (let i = 0; i < 30; i++) answers.push(await request(first.socket, 'presence:restore', { peers: [`peer-${i}`, `other-${i}`] }));
    const ok = answers.map((a) => (a as { ok: boolean }).ok);
    expect(ok.slice(0, 11)).toEqual(Array(11).fill(true)); // the free one, then the 10 subscribes of 5 s
    for (const a of answers.slice(11)) expect(a).toMatchObject(tooOften);
    expect(await request(first.socket, 'presence:subscribe', { peers: ['bob'] })).toMatchObject(tooOften);
    const list = (await request(first.socket, 'presence:listSubscriptions', {})) as { data: { peers: string[] } };
    expect(list.data.peers.sort()).toEqual(['other-10', 'peer-10']);

    // A new connection of the same session restores once for free, even with the budget spent.
    first.socket.disconnect();
    const second = await connect('alice', first);
    expect(second).toMatchObject({ sessionId: first.sessionId, resumed: true });
    expect(await request(second.socket, 'presence:restore', { peers: ['peer-0'] })).toMatchObject({ ok: true });
    expect(await request(second.socket, 'presence:restore', { peers: ['peer-1'] })).toMatchObject(tooOften);
  });

  it('refills the budget of further restores with time (fake clock)', async () => {
    const clock = createManualClock();
    server = await startServer({ port: 0, logger: false, clock, limits: { subscribeRate: { count: 1, windowMs: 5_000 } } });
    const { socket } = await connect('alice', null);
    expect(await request(socket, 'presence:restore', { peers: ['a'] })).toMatchObject({ ok: true });
    expect(await request(socket, 'presence:restore', { peers: ['b'] })).toMatchObject({ ok: true });
    expect(await request(socket, 'presence:restore', { peers: ['c'] })).toMatchObject(tooOften);
    await clock.advance(5_000);
    expect(await request(socket, 'presence:restore', { peers: ['c'] })).toMatchObject({ ok: true });
  });
});

