import { describe, expect, it } from 'vitest';
import { CoreError } from '@rtm-kit/server/core';
import { MemoryStore } from '@rtm-kit/server';
import { APP_ID, mid, testCore } from './peer-helpers.js';

const text = (t: string) => ({ type: 'TEXT' as const, text: t });

describe('ChannelService without sockets', () => {
  it('tells the other members, never the joiner, and reports the count with the join', async () => {
    const { core, router, login } = testCore();
    const alice = await login('alice');
    const bob = await login('bob');
    expect(await core.channels.join(alice, 'room')).toMatchObject({ count: 1, seq: 0, throttle: { periodMs: 1_000, largePeriodMs: 3_000, largeAbove: 512 } });
    router.clear();
    expect(await core.channels.join(bob, 'room')).toMatchObject({ count: 2 });
    expect(router.take('channel:memberJoined')).toEqual([
      { to: 'c:room', except: bob.sessionId, event: 'channel:memberJoined', args: [{ channelId: 'room', uid: 'bob' }] },
    ]);
    expect(router.rooms.get('room')).toEqual(new Set([alice.sessionId, bob.sessionId]));
    await core.channels.leave(bob, 'room');
    expect(router.take('channel:memberLeft')).toEqual([
      { to: 'c:room', except: bob.sessionId, event: 'channel:memberLeft', args: [{ channelId: 'room', uid: 'bob' }] },
    ]);
    expect(router.rooms.get('room')).toEqual(new Set([alice.sessionId]));
  });

  it('throttles MemberCountUpdated per channel: leading, one trailing with the latest count, never unchanged', async () => {
    const { core, router, clock, login } = testCore();
    const [a, b, c] = [await login('a'), await login('b'), await login('c')];
    const counts = () => router.take('channel:memberCount').map((d) => (d.args[0] as { count: number }).count);

    await core.channels.join(a, 'room'); // leading: 1
    await core.channels.join(b, 'room'); // held back
    await core.channels.join(c, 'room'); // folded into the same trailing update
    expect(counts()).toEqual([1]);
    await clock.advance(999);
    expect(counts()).toEqual([1]);
    await clock.advance(1);
    expect(counts()).toEqual([1, 3]);

    await clock.advance(5_000);
    await core.channels.leave(c, 'room'); // leading: 2
    await core.channels.join(c, 'room'); // trailing: 3
    await clock.advance(1_000);
    expect(counts()).toEqual([1, 3, 2, 3]);
    // A leave and a join within one period: the count is back where it was, so nothing is sent.
    await core.channels.leave(b, 'room');
    await core.channels.join(b, 'room');
    await clock.advance(1_000);
    expect(counts()).toEqual([1, 3, 2, 3]);
    router.clear();
    await core.channels.leave(b, 'room');
    await clock.advance(500);
    await core.channels.join(b, 'room');
    await clock.advance(1_000);
    // 2 went out at once; the trailing 3 came 1 s after it.
    expect(counts()).toEqual([2, 3]);

    // A join then a leave within one period: the joiner was told 4 with its join, so the
    // trailing 3 goes out although the others last heard 3.
    router.clear();
    await clock.advance(5_000);
    const d = await login('d');
    await core.channels.leave(c, 'room'); // leading: 2
    await core.channels.join(c, 'room'); // held back
    await core.channels.join(d, 'room'); // d is told 4
    await core.channels.leave(d, 'room');
    await clock.advance(1_000);
    expect(counts()).toEqual([2, 3]);
    router.clear();
    await clock.advance(5_000);
    await core.channels.join(d, 'room'); // leading: 4
    await core.channels.leave(d, 'room'); // held back: 3
    await clock.advance(1_000);
    expect(counts()).toEqual([4, 3]);
    router.clear();
    await clock.advance(5_000);
    await core.channels.leave(b, 'room'); // leading: 2
    await core.channels.join(d, 'room'); // d is told 3
    await core.channels.leave(d, 'room'); // back to 2, which the others last heard
    await clock.advance(1_000);
    expect(counts()).toEqual([2, 2]);
  });

  it('uses the large period and stops member events above memberEventsMaxMembers', async () => {
    const { core, router, clock, login } = testCore({ limits: { memberEventsMaxMembers: 2 }, timing: { memberCountThrottleMs: 100, memberCountThrottleLargeMs: 3_000 } });
    const [a, b, c, d] = [await login('a'), await login('b'), await login('c'), await login('d')];
    await core.channels.join(a, 'big');
    await core.channels.join(b, 'big');
    await clock.advance(5_000);
    router.clear();
    await core.channels.join(c, 'big'); // 3 members: large
    expect(router.take('channel:memberJoined')).toEqual([]);
    expect(router.take('channel:memberCount').map((x) => (x.args[0] as { count: number }).count)).toEqual([3]);
    await core.channels.join(d, 'big');
    await clock.advance(2_999);
    expect(router.take('channel:memberCount')).toHaveLength(1);
    await clock.advance(1);
    expect(router.take('channel:memberCount').map((x) => (x.args[0] as { count: number }).count)).toEqual([3, 4]);
    await core.channels.leave(d, 'big'); // from 4 members: no MemberLeft
    expect(router.take('channel:memberLeft')).toEqual([]);
    await core.channels.leave(c, 'big'); // from 3: still large
    expect(router.take('channel:memberLeft')).toEqual([]);
    await core.channels.leave(b, 'big'); // from 2: told
    expect(router.take('channel:memberLeft')).toHaveLength(1);
  });

  it('reports channels becoming occupied and empty to lifecycle listeners', async () => {
    const { core, clock, login } = testCore();
    const seen: string[] = [];
    core.channels.addListener({
      occupied: (appId, channelId) => void seen.push(`occupied ${channelId} ${appId === APP_ID}`),
      emptied: async (_appId, channelId) => void seen.push(`emptied ${channelId}`),
    });
    core.channels.addListener({
      occupied: () => {
        throw new Error('a failing listener does not break the join');
      },
    });
    const alice = await login('alice');
    const bob = await login('bob');
    await core.channels.join(alice, 'room');
    await core.channels.join(bob, 'room');
    await core.channels.leave(alice, 'room');
    expect(seen).toEqual(['occupied room true']);
    await core.sessions.connectionLost(bob);
    await clock.advance(30_000); // bob's grace period ends: membership ends with the session
    expect(seen).toEqual(['occupied room true', 'emptied room']);
    expect(await core.channels.members(APP_ID, 'room')).toEqual([]);
  });

  it('ends membership with the session: MemberLeft to the others on logout, kick and grace timeout', async () => {
    const { core, router, clock, login } = testCore();
    const watcher = await login('watcher');
    await core.channels.join(watcher, 'room');
    const kicked = await login('kicked');
    const timedOut = await login('late');
    const loggedOut = await login('bye');
    for (const s of [kicked, timedOut, loggedOut]) await core.channels.join(s, 'room');
    router.clear();

    await login('kicked'); // a remote login of the same uid
    await core.sessions.logout(loggedOut);
    await core.sessions.connectionLost(timedOut);
    await clock.advance(29_999);
    const left = () => router.take('channel:memberLeft').map((d) => (d.args[0] as { uid: string }).uid);
    expect(left()).toEqual(['kicked', 'bye']);
    await clock.advance(1);
    expect(left()).toEqual(['kicked', 'bye', 'late']);
    expect(await core.channels.members(APP_ID, 'room')).toEqual(['watcher']);
  });

  it('keeps membership through a resume and answers what was missed, newest 32 within 30 s, in order', async () => {
    const { core, clock, login } = testCore();
    const alice = await login('alice');
    const bob = await login('bob');
    await core.channels.join(alice, 'room');
    const joined = await core.channels.join(bob, 'room');
    await core.sessions.connectionLost(bob);
    for (let i = 1; i <= 40; i++) {
      await core.channels.send(alice, { id: mid(i), channelId: 'room', message: text(`m${i}`) });
      if (i === 5) await clock.advance(1_000);
    }
    const resumed = await core.sessions.open({ v: 1, appId: APP_ID, uid: 'bob', token: null, sessionId: bob.sessionId, resumeSecret: bob.resumeSecret });
    expect(resumed).toMatchObject({ ok: true, resumed: true });
    const answer = await core.channels.resume(bob, { channels: [{ channelId: 'room', lastSeq: joined.seq }] });
    expect(answer.channels).toHaveLength(1);
    const [room] = answer.channels;
    expect(room).toMatchObject({ channelId: 'room', member: true, count: 2 });
    expect(room?.missed.map((m) => m.seq)).toEqual(Array.from({ length: 32 }, (_, i) => i + 9));
    expect(room?.missed[0]).toMatchObject({ from: 'alice', message: text('m9'), channelId: 'room' });

    // Messages older than channelReplayMs are not replayed.
    await clock.advance(29_500); // m1..m5 are now 30.5 s old, m6.. 29.5 s
    const later = await core.channels.resume(bob, { channels: [{ channelId: 'room', lastSeq: 0 }] });
    expect(later.channels[0]?.missed.map((m) => m.seq)).toEqual(Array.from({ length: 32 }, (_, i) => i + 9));
    await clock.advance(1_000);
    expect((await core.channels.resume(bob, { channels: [{ channelId: 'room', lastSeq: 0 }] })).channels[0]?.missed).toEqual([]);
  });

  it('leaves on resume the channels the client no longer names, and reports unknown ones as not joined', async () => {
    const { core, router, login } = testCore();
    const alice = await login('alice');
    const bob = await login('bob');
    await core.channels.join(alice, 'a');
    await core.channels.join(alice, 'b');
    await core.channels.join(bob, 'b');
    router.clear();
    const answer = await core.channels.resume(alice, { channels: [{ channelId: 'a', lastSeq: null }, { channelId: 'zzz', lastSeq: 3 }] });
    expect(answer.channels).toEqual([
      { channelId: 'a', member: true, count: 1, missed: [] },
      { channelId: 'zzz', member: false, count: 0, missed: [] },
    ]);
    expect(await core.channels.members(APP_ID, 'b')).toEqual(['bob']);
    expect(router.take('channel:memberLeft').map((d) => d.to)).toEqual(['c:b']);
  });

  it('sends a message to the others with increasing seq, delivers a retried id once, refuses non-members', async () => {
    const { core, router, login } = testCore();
    const alice = await login('alice');
    const bob = await login('bob');
    await core.channels.join(alice, 'room');
    await core.channels.join(bob, 'room');
    router.clear();
    // Each send answers the seq its message got (the sender's client never sees it otherwise); a
    // retry answers null.
    expect(await core.channels.send(alice, { id: mid(1), channelId: 'room', message: text('one') })).toBe(1);
    expect(await core.channels.send(alice, { id: mid(1), channelId: 'room', message: text('one') })).toBeNull(); // a retry
    expect(await core.channels.send(bob, { id: mid(1), channelId: 'room', message: text('two') })).toBe(2); // ids are per sender
    const sent = router.take('channel:message');
    expect(sent.map((d) => [d.except, (d.args[0] as { seq: number }).seq])).toEqual([
      [alice.sessionId, 1],
      [bob.sessionId, 2],
    ]);
    const carol = await login('carol');
    await expect(core.channels.send(carol, { id: mid(2), channelId: 'room', message: text('x') })).rejects.toMatchObject({
      codeName: 'CHANNEL_MESSAGE_ERR_NOT_IN_CHANNEL',
    });
    await expect(core.channels.send(alice, { id: mid(3), channelId: 'room', message: text('x'.repeat(32_769)) })).rejects.toBeInstanceOf(CoreError);
  });

  it('lets a send that failed before anything was sent be retried, and never sends one that failed while sending twice', async () => {
    const store = new MemoryStore();
    const { core, router, login } = testCore({ store });
    const alice = await login('alice');
    const bob = await login('bob');
    await core.channels.join(alice, 'room');
    await core.channels.join(bob, 'room');
    router.clear();

    // The store fails at the membership check: nothing went out, so the retry is a new send.
    const isMember = store.channels.isMember.bind(store.channels);
    store.channels.isMember = () => Promise.reject(new Error('store down'));
    await expect(core.channels.send(alice, { id: mid(5), channelId: 'room', message: text('a') })).rejects.toThrow('store down');
    store.channels.isMember = isMember;
    expect(await core.channels.send(alice, { id: mid(5), channelId: 'room', message: text('a') })).toBe(1);

    // Publishing fails after the message was stored: the retry may not send it again, and says
    // the message may not have reached the channel.
    const publish = router.toChannelExcept.bind(router);
    router.toChannelExcept = () => {
      throw new Error('adapter down');
    };
    await expect(core.channels.send(alice, { id: mid(6), channelId: 'room', message: text('b') })).rejects.toThrow('adapter down');
    router.toChannelExcept = publish;
    await expect(core.channels.send(alice, { id: mid(6), channelId: 'room', message: text('b') })).rejects.toMatchObject({
      codeName: 'CHANNEL_MESSAGE_ERR_FAILURE',
    });
    expect(router.take('channel:message').map((d) => (d.args[0] as { seq: number }).seq)).toEqual([1]);
  });

  it('answers getMembers with a random subset above getMembersMax, the caller among all members', async () => {
    const { core, login } = testCore({ limits: { getMembersMax: 3, getMembersRate: { count: 100, windowMs: 1_000 } } });
    const sessions = [];
    for (let i = 0; i < 6; i++) {
      const s = await login(`u${i}`);
      await core.channels.join(s, 'room');
      sessions.push(s);
    }
    const seen = new Set<string>();
    for (let round = 0; round < 40; round++) {
      const members = await core.channels.getMembers(sessions[0]!, 'room');
      expect(members).toHaveLength(3);
      expect(new Set(members).size).toBe(3);
      for (const m of members) seen.add(m);
    }
    expect(seen.size).toBe(6); // 40 random draws of 3 of 6 cover everyone (chance of failure ~1e-7)
  });
});
