import { afterEach, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { DEFAULT_LIMITS, MemoryStore, startServer, type RtmServer, type ServerOptions } from '@rtm-kit/server';
import { createManualClock } from '@rtm-kit/server/testing';

const APP_ID = '0123456789abcdef0123456789abcdef';
const INVALID = { ok: false, error: { code: 1, name: 'INVITATION_API_CALL_ERR_INVALID_ARGUMENT' } };

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

async function waitFor(check: () => boolean, ms = 2_000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  for (let i = 0; i < 1_000 && !check(); i++) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const send = (callId: string, calleeId = 'bob', extra: Record<string, unknown> = {}) => ({ callId, calleeId, content: '', channelId: '', ...extra });

describe('invitations: the server checks every payload and every party', () => {
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
    ['invitation:send', undefined],
    ['invitation:send', { callId: 'c1', calleeId: 'bob' }],
    ['invitation:send', send('')],
    ['invitation:send', send('x'.repeat(65))],
    ['invitation:send', send('c1', 'a/b')],
    ['invitation:send', send('c1', 'bob', { channelId: 'bad/channel' })],
    ['invitation:send', send('c1', 'bob', { content: 'x'.repeat(8193) })],
    ['invitation:send', send('c1', 'bob', { content: 5 })],
    ['invitation:send', send('c1', 'bob', { callerId: 'mallory' })],
    ['invitation:cancel', { callId: 'c1' }],
    ['invitation:cancel', { callId: 'nope', content: '' }],
    ['invitation:confirm', { callId: 7 }],
    ['invitation:accept', { callId: 'nope', response: '' }],
    ['invitation:refuse', { callId: 'c1', response: null }],
    ['invitation:sync', { asCaller: 'c1', asCallee: [] }],
    ['invitation:sync', { asCaller: [] }],
  ])('%s with %j is refused with INVALID_ARGUMENT (1)', async (event, payload) => {
    await start();
    const alice = await user('alice');
    expect(await request(alice, event, payload)).toMatchObject(INVALID);
    expect(await request(alice, 'invitation:sync', { asCaller: [], asCallee: [] })).toEqual({ ok: true, data: { asCaller: [], asCallee: [] } });
  });

  it('lets only the caller cancel or confirm and only the callee answer, and refuses a call ID in use', async () => {
    await start();
    const alice = await user('alice');
    const bob = await user('bob');
    const mallory = await user('mallory');
    bob.on('invitation:incoming', (_invitation: unknown, ack: () => void) => ack());
    expect(await request(alice, 'invitation:send', send('call-1', 'bob', { content: 'hi' }))).toMatchObject({ ok: true, data: { phase: 'PENDING' } });
    expect(await request(mallory, 'invitation:send', send('call-1', 'bob'))).toMatchObject(INVALID);
    expect(await request(mallory, 'invitation:cancel', { callId: 'call-1', content: '' })).toMatchObject(INVALID);
    expect(await request(bob, 'invitation:cancel', { callId: 'call-1', content: '' })).toMatchObject(INVALID);
    expect(await request(alice, 'invitation:accept', { callId: 'call-1', response: '' })).toMatchObject(INVALID);
    expect(await request(mallory, 'invitation:refuse', { callId: 'call-1', response: '' })).toMatchObject(INVALID);
    expect(await request(bob, 'invitation:accept', { callId: 'call-1', response: 'r'.repeat(8193) })).toMatchObject(INVALID);
    // Mallory learns nothing about it.
    expect(await request(mallory, 'invitation:sync', { asCaller: ['call-1'], asCallee: ['call-1'] })).toEqual({
      ok: true,
      data: { asCaller: [{ callId: 'call-1', phase: 'UNKNOWN', response: '', reason: null }], asCallee: [{ callId: 'call-1', phase: 'UNKNOWN', content: '', reason: null }] },
    });
    // The real parties go on: accept, then the caller's confirmation makes it ACCEPTED.
    expect(await request(bob, 'invitation:accept', { callId: 'call-1', response: 'yes' })).toMatchObject({ ok: true, data: { phase: 'ACCEPTING' } });
    expect(await request(alice, 'invitation:confirm', { callId: 'call-1' })).toEqual({
      ok: true,
      data: { callId: 'call-1', phase: 'ACCEPTED', response: 'yes', reason: null },
    });
    // A late cancel learns the outcome instead of changing it.
    expect(await request(alice, 'invitation:cancel', { callId: 'call-1', content: '' })).toMatchObject({ ok: true, data: { phase: 'ACCEPTED' } });
  });

  it('fails PEER_NO_RESPONSE when an online callee never acknowledges (fake clock)', async () => {
    const clock = createManualClock();
    await start({ clock });
    const alice = await user('alice');
    const bob = await user('bob');
    const delivered: unknown[] = [];
    bob.on('invitation:incoming', (invitation: unknown) => delivered.push(invitation)); // no ack
    const updates: unknown[] = [];
    alice.on('invitation:caller', (view: unknown) => updates.push(view));
    await request(alice, 'invitation:send', send('call-2', 'bob', { content: 'ring', channelId: 'room' }));
    await waitFor(() => delivered.length === 1, 2000, 'delivery');
    expect(delivered[0]).toEqual({ callId: 'call-2', callerId: 'alice', content: 'ring', channelId: 'room' });
    await clock.advance(30_000);
    await waitFor(() => updates.length === 1, 2000, 'failure');
    expect(updates[0]).toEqual({ callId: 'call-2', phase: 'FAILED', response: '', reason: 'PEER_NO_RESPONSE' });
  });

  it('hands a waiting invitation to the callee\'s new connection and keeps the caller\'s content private', async () => {
    await start();
    const alice = await user('alice');
    expect(await request(alice, 'invitation:send', send('call-3', 'bob', { content: 'later' }))).toMatchObject({ ok: true });
    const updates: unknown[] = [];
    alice.on('invitation:caller', (view: unknown) => updates.push(view));
    const bob = io(server.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth: { v: 1, appId: APP_ID, uid: 'bob', token: null, sessionId: null },
    });
    sockets.push(bob);
    const got = await new Promise<unknown>((resolve) => {
      bob.on('invitation:incoming', (invitation: unknown, ack: () => void) => {
        ack();
        resolve(invitation);
      });
    });
    expect(got).toEqual({ callId: 'call-3', callerId: 'alice', content: 'later', channelId: '' });
    await waitFor(() => updates.length === 1, 2000, 'received by peer');
    expect(updates[0]).toEqual({ callId: 'call-3', phase: 'RECEIVED', response: '', reason: null });
  });
});

describe('invitations: limits on what one caller can make the server hold (invitationSendRate, openInvitationsPerSession)', () => {
  let server: RtmServer;
  const sockets: Socket[] = [];
  const user = async (uid: string) => {
    const s = await rawUser(server.url, uid);
    sockets.push(s);
    return s;
  };
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    await server.close();
  });
  /** What the caller gets for a send the server will not take on: failed at once, reason UNKNOWN. */
  const refused = (callId: string) => ({ ok: true, data: { callId, phase: 'FAILED', response: '', reason: 'UNKNOWN' } });
  const sessionOf = async (uid: string) => (await server.core.sessions.get(APP_ID, uid))!.sessionId;

  it('keeps a flood of 8 KB invitations from one socket to the default send rate; the callee sees only those', async () => {
    const store = new MemoryStore();
    server = await startServer({ port: 0, logger: false, store });
    const alice = await user('alice');
    const bob = await user('bob');
    const delivered: string[] = [];
    bob.on('invitation:incoming', (invitation: { callId: string }, ack: () => void) => {
      ack();
      delivered.push(invitation.callId);
    });
    const content = 'x'.repeat(8_192);
    const answers = (await Promise.all(
      Array.from({ length: 200 }, (_, i) => request(alice, 'invitation:send', send(`flood-${i}`, 'bob', { content }))),
    )) as Array<{ ok: boolean; data: { phase: string } }>;
    const accepted = answers.filter((a) => a.ok && a.data.phase === 'PENDING').length;
    expect(accepted).toBe(DEFAULT_LIMITS.invitationSendRate.count);
    expect(answers.filter((a) => a.ok && a.data.phase === 'FAILED')).toHaveLength(200 - accepted);
    expect(await store.invitations.invitationsOfSession(APP_ID, await sessionOf('alice'))).toHaveLength(accepted);
    await waitFor(() => delivered.length === accepted, 3000, 'deliveries');
    // A refused call ID was never stored: sync does not know it.
    const refusedId = `flood-${answers.findIndex((a) => a.data.phase === 'FAILED')}`;
    expect(await request(alice, 'invitation:sync', { asCaller: [refusedId], asCallee: [] })).toMatchObject({
      ok: true,
      data: { asCaller: [{ callId: refusedId, phase: 'UNKNOWN' }] },
    });
  });

  it('answers a send over the rate FAILED/UNKNOWN, and takes sends again once the window has passed (fake clock)', async () => {
    const clock = createManualClock();
    server = await startServer({ port: 0, logger: false, clock, limits: { invitationSendRate: { count: 3, windowMs: 10_000 } } });
    const alice = await user('alice');
    for (const id of ['r1', 'r2', 'r3']) {
      expect(await request(alice, 'invitation:send', send(id))).toMatchObject({ ok: true, data: { phase: 'PENDING' } });
    }
    expect(await request(alice, 'invitation:send', send('r4'))).toEqual(refused('r4'));
    // Invalid sends and sends of a call ID in use are refused as such, and use no budget.
    expect(await request(alice, 'invitation:send', send('r1'))).toMatchObject(INVALID);
    await clock.advance(10_000);
    expect(await request(alice, 'invitation:send', send('r4'))).toMatchObject({ ok: true, data: { phase: 'PENDING' } });
  });

  it('caps the open invitations of a caller session; one that ends frees its slot', async () => {
    server = await startServer({ port: 0, logger: false, limits: { openInvitationsPerSession: 2 } });
    const alice = await user('alice');
    const answers = (await Promise.all(['o1', 'o2', 'o3', 'o4'].map((id) => request(alice, 'invitation:send', send(id))))) as Array<{
      data: { callId: string; phase: string };
    }>;
    const open = answers.filter((a) => a.data.phase === 'PENDING').map((a) => a.data.callId);
    expect(open).toHaveLength(2);
    for (const a of answers) if (a.data.phase !== 'PENDING') expect(a).toEqual(refused(a.data.callId));
    expect(await request(alice, 'invitation:send', send('o5'))).toEqual(refused('o5'));
    expect(await request(alice, 'invitation:cancel', { callId: open[0], content: '' })).toMatchObject({ ok: true, data: { phase: 'CANCELED' } });
    expect(await request(alice, 'invitation:send', send('o5'))).toMatchObject({ ok: true, data: { phase: 'PENDING' } });
    // The cap is per caller session: another caller is not affected.
    const carol = await user('carol');
    expect(await request(carol, 'invitation:send', send('c1'))).toMatchObject({ ok: true, data: { phase: 'PENDING' } });
  });
});
