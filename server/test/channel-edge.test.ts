import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { MemoryStore, startServer, type RtmServer } from '@rtm-kit/server';
import { createManualClock } from '@rtm-kit/server/testing';
import { APP_ID, ask, mid, rawLogin } from './peer-helpers.js';

const text = (t: string) => ({ type: 'TEXT', text: t });

describe('channel events at the server edge (raw sockets, as a modified client)', () => {
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

  const malformed: Array<[string, unknown]> = [
    ['no payload', undefined],
    ['a string', 'room'],
    ['a numeric channel ID', { channelId: 7 }],
    ['an enormous channel ID', { channelId: 'c'.repeat(5_000) }],
    ['an extra field', { channelId: 'room', uid: 'mallory' }],
  ];

  it.each(malformed)('answers channel:join with %s as JOIN_CHANNEL_ERR_INVALID_ARGUMENT (3)', async (_label, payload) => {
    const alice = await login('alice');
    await expect(ask(alice, 'channel:join', payload)).resolves.toMatchObject({ ok: false, error: { code: 3, name: 'JOIN_CHANNEL_ERR_INVALID_ARGUMENT' } });
  });

  it.each(malformed)('answers channel:leave with %s as LEAVE_CHANNEL_ERR_FAILURE (1)', async (_label, payload) => {
    const alice = await login('alice');
    await expect(ask(alice, 'channel:leave', payload)).resolves.toMatchObject({ ok: false, error: { code: 1, name: 'LEAVE_CHANNEL_ERR_FAILURE' } });
  });

  it.each(malformed)('answers channel:getMembers with %s as GET_MEMBERS_ERR_FAILURE (1)', async (_label, payload) => {
    const alice = await login('alice');
    await expect(ask(alice, 'channel:getMembers', payload)).resolves.toMatchObject({ ok: false, error: { code: 1, name: 'GET_MEMBERS_ERR_FAILURE' } });
  });

  it.each([
    ['no payload', undefined],
    ['no id', { channelId: 'room', message: text('x') }],
    ['no message', { id: mid(1), channelId: 'room' }],
    ['a numeric channel ID', { id: mid(1), channelId: 1, message: text('x') }],
    ['a message of an unknown type', { id: mid(1), channelId: 'room', message: { type: 'HTML', text: 'x' } }],
    ['a forged sender', { id: mid(1), channelId: 'room', message: text('x'), from: 'mallory' }],
    ['a forged sequence', { id: mid(1), channelId: 'room', message: text('x'), seq: 99 }],
  ])('answers channel:send with %s as CHANNEL_MESSAGE_ERR_INVALID_MESSAGE (4)', async (_label, payload) => {
    const alice = await login('alice');
    await ask(alice, 'channel:join', { channelId: 'room' });
    await expect(ask(alice, 'channel:send', payload)).resolves.toMatchObject({ ok: false, error: { code: 4, name: 'CHANNEL_MESSAGE_ERR_INVALID_MESSAGE' } });
  });

  it.each([
    ['no payload', undefined],
    ['a string', 'room'],
    ['ids that are not strings', { channelIds: [1, 2] }],
    ['far too many ids', { channelIds: Array.from({ length: 1_025 }, (_, i) => `c${i}`) }],
  ])('answers channel:getMemberCount with %s as GET_CHANNEL_MEMBER_COUNT_ERR_INVALID_ARGUMENT (2)', async (_label, payload) => {
    const alice = await login('alice');
    await expect(ask(alice, 'channel:getMemberCount', payload)).resolves.toMatchObject({ ok: false, error: { code: 2 } });
  });

  it.each([
    ['no payload', undefined],
    ['channels that are not an array', { channels: 'room' }],
    ['a negative sequence', { channels: [{ channelId: 'room', lastSeq: -1 }] }],
    ['a fractional sequence', { channels: [{ channelId: 'room', lastSeq: 1.5 }] }],
    ['an entry with extra fields', { channels: [{ channelId: 'room', lastSeq: 0, uid: 'x' }] }],
  ])('answers channel:resume with %s as JOIN_CHANNEL_ERR_INVALID_ARGUMENT (3)', async (_label, payload) => {
    const alice = await login('alice');
    await expect(ask(alice, 'channel:resume', payload)).resolves.toMatchObject({ ok: false, error: { code: 3 } });
  });

  it('answers well-formed but wrong requests with the spec codes', async () => {
    const alice = await login('alice');
    await expect(ask(alice, 'channel:join', { channelId: 'a/b' })).resolves.toMatchObject({ ok: false, error: { code: 3 } });
    await expect(ask(alice, 'channel:join', { channelId: 'null' })).resolves.toMatchObject({ ok: false, error: { code: 3 } });
    await expect(ask(alice, 'channel:leave', { channelId: 'room' })).resolves.toMatchObject({ ok: false, error: { code: 3, name: 'LEAVE_CHANNEL_ERR_NOT_IN_CHANNEL' } });
    await expect(ask(alice, 'channel:send', { id: mid(1), channelId: 'room', message: text('x') })).resolves.toMatchObject({
      ok: false,
      error: { code: 5, name: 'CHANNEL_MESSAGE_ERR_NOT_IN_CHANNEL' },
    });
    await expect(ask(alice, 'channel:getMembers', { channelId: 'room' })).resolves.toMatchObject({ ok: false, error: { code: 5, name: 'GET_MEMBERS_ERR_NOT_IN_CHANNEL' } });
    await ask(alice, 'channel:join', { channelId: 'room' });
    await expect(ask(alice, 'channel:send', { id: mid(2), channelId: 'room', message: text('x'.repeat(32_769)) })).resolves.toMatchObject({
      ok: false,
      error: { code: 4 },
    });
  });

  it('answers getChannelMemberCount limits: empty 2, over 32 ids 5, invalid id 2, more than once a second 3', async () => {
    const alice = await login('alice');
    await expect(ask(alice, 'channel:getMemberCount', { channelIds: [] })).resolves.toMatchObject({ ok: false, error: { code: 2 } });
    const many = Array.from({ length: 33 }, (_, i) => `c${i}`);
    await expect(ask(alice, 'channel:getMemberCount', { channelIds: many })).resolves.toMatchObject({ ok: false, error: { code: 5 } });
    await expect(ask(alice, 'channel:getMemberCount', { channelIds: ['ok', 'a/b'] })).resolves.toMatchObject({ ok: false, error: { code: 2 } });
    await expect(ask(alice, 'channel:getMemberCount', { channelIds: many.slice(0, 32) })).resolves.toMatchObject({ ok: true });
    await expect(ask(alice, 'channel:getMemberCount', { channelIds: ['c1'] })).resolves.toMatchObject({ ok: false, error: { code: 3 } });
  });

  it('enforces at most 20 joined channels on the server', async () => {
    const alice = await login('alice');
    for (let i = 0; i < 20; i++) await expect(ask(alice, 'channel:join', { channelId: `c${i}` })).resolves.toMatchObject({ ok: true });
    await expect(ask(alice, 'channel:join', { channelId: 'c20' })).resolves.toMatchObject({ ok: false, error: { code: 5, name: 'JOIN_CHANNEL_ERR_EXCEED_LIMIT' } });
    // Joining one it is in already is not a new join: answered as success, nothing changes.
    await expect(ask(alice, 'channel:join', { channelId: 'c3' })).resolves.toMatchObject({ ok: true, data: { count: 1 } });
    expect(await server.core.channels.members(APP_ID, 'c3')).toEqual(['alice']);
  });

  it('enforces the join rates: the same channel 2 times per 5 s (8), 50 joins per 3 s (7)', async () => {
    const alice = await login('alice');
    await ask(alice, 'channel:join', { channelId: 'same' });
    await ask(alice, 'channel:leave', { channelId: 'same' });
    await ask(alice, 'channel:join', { channelId: 'same' });
    await ask(alice, 'channel:leave', { channelId: 'same' });
    await expect(ask(alice, 'channel:join', { channelId: 'same' })).resolves.toMatchObject({
      ok: false,
      error: { code: 8, name: 'JOIN_CHANNEL_ERR_JOIN_SAME_CHANNEL_TOO_OFTEN' },
    });
    // 2 joins so far; 48 more different ones pass, the 51st does not.
    for (let i = 0; i < 48; i++) {
      await expect(ask(alice, 'channel:join', { channelId: `d${i}` })).resolves.toMatchObject({ ok: true });
      await ask(alice, 'channel:leave', { channelId: `d${i}` });
    }
    await expect(ask(alice, 'channel:join', { channelId: 'one-too-many' })).resolves.toMatchObject({
      ok: false,
      error: { code: 7, name: 'JOIN_CHANNEL_ERR_TOO_OFTEN' },
    });
  });

  it('takes the sender from the session: members see the real uid, and the sender gets nothing back', async () => {
    const alice = await login('alice');
    const bob = await login('bob');
    await ask(alice, 'channel:join', { channelId: 'room' });
    await ask(bob, 'channel:join', { channelId: 'room' });
    const toBob: unknown[] = [];
    const toAlice: unknown[] = [];
    bob.on('channel:message', (d: unknown) => toBob.push(d));
    alice.on('channel:message', (d: unknown) => toAlice.push(d));
    await expect(ask(alice, 'channel:send', { id: mid(1), channelId: 'room', message: text('hi') })).resolves.toEqual({ ok: true, data: { seq: 1 } });
    await expect.poll(() => toBob.length).toBe(1);
    expect(toBob[0]).toMatchObject({ channelId: 'room', seq: 1, from: 'alice', message: text('hi') });
    expect(toAlice).toEqual([]);
  });

  it('leaves no member behind when a join races the logout of its session (A1)', async () => {
    const watcher = await login('watcher');
    await ask(watcher, 'channel:join', { channelId: 'room' });
    const seen = new Map<string, string[]>();
    const note = (kind: string) => (e: { uid: string }) => seen.set(e.uid, [...(seen.get(e.uid) ?? []), kind]);
    watcher.on('channel:memberJoined', note('joined'));
    watcher.on('channel:memberLeft', note('left'));
    const uids = Array.from({ length: 20 }, (_, i) => `racer${i}`);
    for (const uid of uids) {
      const racer = await login(uid);
      // Both on the wire before either is answered, as a client's join() then logout() are.
      const joined = racer.timeout(2_000).emitWithAck('channel:join', { channelId: 'room' }).catch(() => 'no answer');
      const loggedOut = racer.timeout(2_000).emitWithAck('session:logout', {});
      expect(await loggedOut).toEqual({ ok: true, data: null });
      // Joined before the session ended (then left with it), or refused as not logged in.
      const answer = await joined;
      if (answer !== 'no answer' && !(answer as { ok: boolean }).ok) {
        expect(answer).toMatchObject({ ok: false, error: { code: 102, name: 'JOIN_CHANNEL_ERR_USER_NOT_LOGGED_IN' } });
      }
    }
    // No member of a dead session stays: the channel holds the watcher only, and whoever the
    // watcher saw join it also saw leave.
    await expect.poll(() => server.core.channels.members(APP_ID, 'room')).toEqual(['watcher']);
    expect(await server.core.channels.count(APP_ID, 'room')).toBe(1);
    await expect.poll(() => [...seen.values()].filter((events) => events.length % 2 === 1).length).toBe(0);
    for (const events of seen.values()) for (let i = 0; i < events.length; i++) expect(events[i]).toBe(i % 2 === 0 ? 'joined' : 'left');
  });

  it('answers channel:resume for a channel the session is not in with nothing: no count, no messages (B2)', async () => {
    const bob = await login('bob');
    await ask(bob, 'channel:join', { channelId: 'busy' });
    await ask(bob, 'channel:send', { id: mid(1), channelId: 'busy', message: text('private') });
    const alice = await login('alice');
    const many = Array.from({ length: 40 }, (_, i) => ({ channelId: i === 0 ? 'busy' : `c${i}`, lastSeq: 0 }));
    const answer = await ask(alice, 'channel:resume', { channels: many });
    expect(answer).toMatchObject({ ok: true });
    expect(answer.data.channels).toHaveLength(40);
    expect(answer.data.channels[0]).toEqual({ channelId: 'busy', member: false, count: 0, missed: [] });
    for (const entry of answer.data.channels) expect(entry).toMatchObject({ member: false, count: 0, missed: [] });
    // getChannelMemberCount is where counts come from, with its limits.
    await expect(ask(alice, 'channel:getMemberCount', { channelIds: ['busy'] })).resolves.toEqual({ ok: true, data: { counts: { busy: 1 } } });
  });

  it('replays to a member only what was sent after it joined, whatever lastSeq it names (B2)', async () => {
    const alice = await login('alice');
    await ask(alice, 'channel:join', { channelId: 'room' });
    for (let i = 1; i <= 3; i++) await ask(alice, 'channel:send', { id: mid(i), channelId: 'room', message: text(`before ${i}`) });
    const carol = await login('carol');
    await expect(ask(carol, 'channel:join', { channelId: 'room' })).resolves.toMatchObject({ ok: true, data: { seq: 3 } });
    const fromZero = await ask(carol, 'channel:resume', { channels: [{ channelId: 'room', lastSeq: 0 }] });
    expect(fromZero).toEqual({ ok: true, data: { channels: [{ channelId: 'room', member: true, count: 2, missed: [] }] } });
    await ask(alice, 'channel:send', { id: mid(4), channelId: 'room', message: text('after') });
    const later = await ask(carol, 'channel:resume', { channels: [{ channelId: 'room', lastSeq: 0 }] });
    expect(later.data.channels[0].missed.map((m: { seq: number; message: unknown }) => [m.seq, m.message])).toEqual([[4, text('after')]]);
  });
});

describe('member count updates at the server edge (real server, manual clock)', () => {
  it('ends on the latest count when the count changes while a held-back update reads it (C3)', async () => {
    const clock = createManualClock(1_000_000);
    const store = new MemoryStore();
    // Reads of the count can be held after they took their value, as a slow store would.
    const realCount = store.channels.count.bind(store.channels);
    let gate: Promise<void> | null = null;
    store.channels.count = async (appId, channelId) => {
      const n = await realCount(appId, channelId);
      if (gate) await gate;
      return n;
    };
    const server = await startServer({ port: 0, logger: false, store, clock, timing: { memberCountThrottleMs: 1_000 } });
    const sockets: Socket[] = [];
    try {
      for (const uid of ['watcher', 'a', 'b']) sockets.push((await rawLogin(server.url, uid)).socket);
      const [watcher, a, b] = sockets as [Socket, Socket, Socket];
      const counts: number[] = [];
      watcher.on('channel:memberCount', (e: { count: number }) => counts.push(e.count));
      await ask(watcher, 'channel:join', { channelId: 'room' });
      await expect.poll(() => counts).toEqual([1]);
      await ask(a, 'channel:join', { channelId: 'room' }); // 2: held back for the period
      let release = () => {};
      gate = new Promise<void>((resolve) => (release = resolve));
      await clock.advance(1_000); // the trailing update reads 2 and waits
      await ask(b, 'channel:join', { channelId: 'room' }); // 3, while the read is under way
      gate = null;
      release();
      await expect.poll(() => counts.includes(2)).toBe(true);
      await clock.advance(1_000);
      await expect.poll(() => counts.length).toBeGreaterThanOrEqual(3);
      expect(counts).toEqual([1, 2, 3]);
    } finally {
      for (const s of sockets) s.disconnect();
      await server.close();
    }
  });
});
