import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { MemoryStore, startServer, type RtmServer } from '@rtm-kit/server';
import { createManualClock } from '@rtm-kit/server/testing';
import { APP_ID, ask, mid, rawLogin } from './peer-helpers.js';

const text = (t: string) => ({ type: 'TEXT', text: t });

describe('peer events at the server edge (raw sockets, as a modified client)', () => {
  let server: RtmServer;
  const sockets: Socket[] = [];
  const login = async (uid: string) => {
    const s = await rawLogin(server.url, uid);
    sockets.push(s.socket);
    return s.socket;
  };

  beforeEach(async () => {
    server = await startServer({ port: 0, logger: false });
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    await server.close();
  });

  it.each([
    ['no payload', undefined],
    ['a string', 'hello'],
    ['null', null],
    ['no id', { peerId: 'bob', message: text('x'), offline: false }],
    ['a short id', { id: 'x', peerId: 'bob', message: text('x'), offline: false }],
    ['a numeric peer ID', { id: mid(1), peerId: 42, message: text('x'), offline: false }],
    ['an enormous peer ID', { id: mid(1), peerId: 'b'.repeat(5_000), message: text('x'), offline: false }],
    ['no message', { id: mid(1), peerId: 'bob', offline: false }],
    ['a message of an unknown type', { id: mid(1), peerId: 'bob', message: { type: 'VIDEO', text: 'x' }, offline: false }],
    ['a TEXT message with a number', { id: mid(1), peerId: 'bob', message: { type: 'TEXT', text: 5 }, offline: false }],
    ['a RAW message with a string', { id: mid(1), peerId: 'bob', message: { type: 'RAW', raw: 'abc', description: '' }, offline: false }],
    ['a message with extra fields', { id: mid(1), peerId: 'bob', message: { type: 'TEXT', text: 'x', from: 'mallory' }, offline: false }],
    ['a forged sender', { id: mid(1), peerId: 'bob', message: text('x'), offline: false, from: 'mallory' }],
    ['a non-boolean offline flag', { id: mid(1), peerId: 'bob', message: text('x'), offline: 'yes' }],
  ])('answers peer:send with %s as PEER_MESSAGE_ERR_INVALID_MESSAGE (7)', async (_label, payload) => {
    const alice = await login('alice');
    await expect(ask(alice, 'peer:send', payload)).resolves.toMatchObject({ ok: false, error: { code: 7, name: 'PEER_MESSAGE_ERR_INVALID_MESSAGE' } });
  });

  it('answers an invalid peer ID with PEER_MESSAGE_ERR_INVALID_USERID (6)', async () => {
    const alice = await login('alice');
    for (const peerId of ['', 'null', 'a/b', 'x'.repeat(65), 'tab\there']) {
      await expect(ask(alice, 'peer:send', { id: mid(1), peerId, message: text('x'), offline: false })).resolves.toMatchObject({
        ok: false,
        error: { code: 6, name: 'PEER_MESSAGE_ERR_INVALID_USERID' },
      });
    }
  });

  it('applies the 32 KB rule as the spec computes it: UTF-8 text, raw bytes plus description', async () => {
    const alice = await login('alice');
    const send = (message: unknown, n: number) => ask(alice, 'peer:send', { id: mid(n), peerId: 'bob', message, offline: false });
    await expect(send(text('x'.repeat(32_768)), 1)).resolves.toMatchObject({ ok: true, data: { hasPeerReceived: false } });
    await expect(send(text('x'.repeat(32_769)), 2)).resolves.toMatchObject({ ok: false, error: { code: 7 } });
    // 'é' is 2 bytes in UTF-8: 16 385 of them are 32 770 bytes.
    await expect(send(text('é'.repeat(16_385)), 3)).resolves.toMatchObject({ ok: false, error: { code: 7 } });
    await expect(send({ type: 'RAW', raw: new Uint8Array(32_760), description: '12345678' }, 4)).resolves.toMatchObject({ ok: true });
    await expect(send({ type: 'RAW', raw: new Uint8Array(32_760), description: '123456789' }, 5)).resolves.toMatchObject({
      ok: false,
      error: { code: 7 },
    });
  });

  it('enforces 180 messages per 3 s even for a client that skips its own check', async () => {
    const alice = await login('alice');
    const answers = await Promise.all(
      Array.from({ length: 181 }, (_, i) => ask(alice, 'peer:send', { id: mid(i), peerId: 'bob', message: text(`${i}`), offline: false })),
    );
    expect(answers.slice(0, 180).every((a) => a.ok)).toBe(true);
    expect(answers[180]).toMatchObject({ ok: false, error: { code: 5, name: 'PEER_MESSAGE_ERR_TOO_OFTEN' } });
    // Channel messages draw on the same budget.
    await ask(alice, 'channel:join', { channelId: 'room' });
    await expect(ask(alice, 'channel:send', { id: mid('c'), channelId: 'room', message: text('x') })).resolves.toMatchObject({
      ok: false,
      error: { code: 3, name: 'CHANNEL_MESSAGE_ERR_TOO_OFTEN' },
    });
  });

  it('ignores a request without an acknowledgement and keeps serving', async () => {
    const alice = await login('alice');
    alice.emit('peer:send', { id: mid(1), peerId: 'bob', message: text('x'), offline: false });
    alice.emit('peer:fetch');
    await expect(ask(alice, 'peer:fetch', { ack: [] })).resolves.toEqual({ ok: true, data: { messages: [] } });
  });

  it.each([
    ['no payload', undefined],
    ['a string', 'x'],
    ['ack that is not an array', { ack: 'id' }],
    ['ack with numbers', { ack: [1, 2] }],
    ['too many ids', { ack: Array.from({ length: 1_001 }, (_, i) => `id${i}`) }],
    ['an extra field', { ack: [], uid: 'bob' }],
  ])('answers peer:fetch with %s as PEER_MESSAGE_ERR_FAILURE (1)', async (_label, payload) => {
    const alice = await login('alice');
    await expect(ask(alice, 'peer:fetch', payload)).resolves.toMatchObject({ ok: false, error: { code: 1, name: 'PEER_MESSAGE_ERR_FAILURE' } });
  });

  it('gives nobody else’s mailbox: fetch is always the session’s own', async () => {
    const alice = await login('alice');
    await ask(alice, 'peer:send', { id: mid(1), peerId: 'bob', message: text('for bob'), offline: true });
    const mallory = await login('mallory');
    await expect(ask(mallory, 'peer:fetch', { ack: [] })).resolves.toEqual({ ok: true, data: { messages: [] } });
    const bob = await login('bob');
    const answer = await ask(bob, 'peer:fetch', { ack: [] });
    expect(answer.data.messages).toHaveLength(1);
    expect(answer.data.messages[0]).toMatchObject({ from: 'alice', offline: true, message: { type: 'TEXT', text: 'for bob' } });
  });

  it('reports hasPeerReceived false when the receiver never acknowledges, and holds the message for it', async () => {
    const alice = await login('alice');
    const bob = await login('bob');
    const seen: unknown[] = [];
    let pending = 0;
    bob.on('peer:message', (delivery: unknown) => seen.push(delivery)); // takes no ack argument: never answers
    bob.on('peer:pending', () => pending++);
    const started = Date.now();
    await expect(ask(alice, 'peer:send', { id: mid(1), peerId: 'bob', message: text('are you there'), offline: false }, 9_000)).resolves.toEqual({
      ok: true,
      data: { hasPeerReceived: false },
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_500);
    expect(seen).toHaveLength(1);
    await expect.poll(() => pending).toBe(1);
    const held = await ask(bob, 'peer:fetch', { ack: [] });
    expect(held.data.messages.map((m: { id: string }) => m.id)).toEqual([(seen[0] as { id: string }).id]);
  }, 15_000);
});

describe('offline mailboxes at the server edge (A3)', () => {
  let server: RtmServer | null = null;
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    await server?.close();
    server = null;
  });
  const login = async (url: string, uid: string) => {
    const s = await rawLogin(url, uid);
    sockets.push(s.socket);
    return s.socket;
  };
  const offline = (n: number, peerId: string) => ({ id: mid(n), peerId, message: text(`to ${peerId}`), offline: true });

  it('lets the mailbox of a uid that never logs in expire without it', async () => {
    const clock = createManualClock(1_000_000);
    const store = new MemoryStore();
    server = await startServer({ port: 0, logger: false, store, clock, timing: { offlineMessageTtlMs: 60_000 } });
    const alice = await login(server.url, 'alice');
    for (let i = 1; i <= 5; i++) await expect(ask(alice, 'peer:send', offline(i, 'never-logs-in'))).resolves.toEqual({ ok: true, data: { hasPeerReceived: false } });
    // What the store keeps for it, asked about the moment it was sent (before any expiry):
    const kept = () => store.peer.deliverable(APP_ID, 'never-logs-in', 'any', 1_000_000, 1_000);
    expect(await kept()).toHaveLength(5);
    await clock.advance(60_000);
    // Anyone's offline message later, and the expired mailbox is gone; the receiver did nothing.
    await ask(alice, 'peer:send', offline(6, 'someone-else'));
    expect(await kept()).toEqual([]);
  });

  it('limits how many receivers that are not online one session fills, per window: PEER_MESSAGE_ERR_TOO_OFTEN (5)', async () => {
    const clock = createManualClock(1_000_000);
    server = await startServer({ port: 0, logger: false, clock, limits: { offlineReceiversRate: { count: 3, windowMs: 60_000 } } });
    const alice = await login(server.url, 'alice');
    const online = await login(server.url, 'online');
    online.on('peer:message', (_delivery: unknown, ack: (received: boolean) => void) => ack(true));
    for (const [n, uid] of [[1, 'u1'], [2, 'u2'], [3, 'u3']] as const) {
      await expect(ask(alice, 'peer:send', offline(n, uid))).resolves.toEqual({ ok: true, data: { hasPeerReceived: false } });
    }
    await expect(ask(alice, 'peer:send', offline(4, 'u4'))).resolves.toMatchObject({ ok: false, error: { code: 5, name: 'PEER_MESSAGE_ERR_TOO_OFTEN' } });
    // More for a receiver counted already, an online receiver, and a message without the
    // offline option are not limited by it.
    await expect(ask(alice, 'peer:send', offline(5, 'u1'))).resolves.toEqual({ ok: true, data: { hasPeerReceived: false } });
    await expect(ask(alice, 'peer:send', offline(6, 'online'))).resolves.toEqual({ ok: true, data: { hasPeerReceived: true } });
    await expect(ask(alice, 'peer:send', { ...offline(7, 'u5'), offline: false })).resolves.toEqual({ ok: true, data: { hasPeerReceived: false } });
    // The refused message was not kept, and a retry of its id is a new send.
    const u4 = await login(server.url, 'u4');
    await expect(ask(u4, 'peer:fetch', { ack: [] })).resolves.toEqual({ ok: true, data: { messages: [] } });
    await ask(u4, 'session:logout', {});
    // Another session has its own budget; the window moves on.
    await expect(ask(await login(server.url, 'bob'), 'peer:send', offline(1, 'u9'))).resolves.toMatchObject({ ok: true });
    await clock.advance(60_000);
    await expect(ask(alice, 'peer:send', offline(4, 'u4'))).resolves.toEqual({ ok: true, data: { hasPeerReceived: false } });
  });
});
