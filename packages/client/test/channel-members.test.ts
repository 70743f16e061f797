import { describe, expect, it } from 'vitest';
import type { RtmChannel } from '@rtm-kit/client';
import { createManualClock } from '@rtm-kit/server/testing';
import { APP_ID, waitFor } from './helpers.js';
import { channelLog, manualTransport, sleep, useKit } from './peer-kit.js';

/** MemberCountUpdated with the time it was reported. */
function countsOf(channel: RtmChannel): Array<{ count: number; at: number }> {
  const seen: Array<{ count: number; at: number }> = [];
  channel.on('MemberCountUpdated', (count) => seen.push({ count, at: Date.now() }));
  return seen;
}

describe('MemberCountUpdated', () => {
  const kit = useKit();

  it('reaches the joiner right after the join, also a listener added once join() resolved', async () => {
    await kit.start();
    const bob = await kit.user('bob');
    await bob.createChannel('room').join();
    const alice = await kit.user('alice');
    const room = alice.createChannel('room');
    const early = countsOf(room);
    await room.join();
    const late = countsOf(room);
    await waitFor(() => early.length === 1 && late.length === 1, 1_000, 'MemberCountUpdated');
    expect(early.map((c) => c.count)).toEqual([2]);
    expect(late.map((c) => c.count)).toEqual([2]);
  });

  it('is throttled to one per memberCountThrottleMs, ends on the latest count, and never repeats a count', async () => {
    await kit.start({ timing: { memberCountThrottleMs: 400 } });
    const alice = await kit.user('alice');
    const room = alice.createChannel('room');
    const counts = countsOf(room);
    await room.join();
    const others = await Promise.all(['b', 'c', 'd', 'e'].map((uid) => kit.user(uid)));
    for (const o of others) await o.createChannel('room').join();
    await waitFor(() => counts.at(-1)?.count === 5, 3_000, 'the final count');
    await sleep(900);
    expect(counts[0]?.count).toBe(1);
    expect(counts.at(-1)?.count).toBe(5);
    for (let i = 1; i < counts.length; i++) {
      expect(counts[i]!.count).not.toBe(counts[i - 1]!.count);
      expect(counts[i]!.at - counts[i - 1]!.at).toBeGreaterThanOrEqual(390);
    }
    // A join then a join and a leave within one period: the trailing count equals the last one
    // reported, so only the leading 6 is reported. On a fleet each node throttles the changes it
    // makes, so when the joins land on two nodes the 7 may go out too; the last count is right.
    const before = counts.length;
    const [f, g] = [await kit.user('f'), await kit.user('g')];
    await f.createChannel('room').join();
    const gRoom = g.createChannel('room');
    await gRoom.join();
    await gRoom.leave();
    await sleep(1_000);
    const after = counts.slice(before).map((c) => c.count);
    if ('nodes' in kit.server) expect([[6], [6, 7, 6]]).toContainEqual(after);
    else expect(after).toEqual([6]);
  });

  it('stops MemberJoined/MemberLeft above memberEventsMaxMembers and slows counts to memberCountThrottleLargeMs', async () => {
    await kit.start({ limits: { memberEventsMaxMembers: 2 }, timing: { memberCountThrottleMs: 100, memberCountThrottleLargeMs: 1_200 } });
    const alice = await kit.user('alice');
    const room = alice.createChannel('big');
    const log = channelLog(room);
    const counts = countsOf(room);
    await room.join();
    const bob = await kit.user('bob');
    await bob.createChannel('big').join(); // 2 members: still told
    await waitFor(() => log.includes('joined:bob'), 2_000, 'MemberJoined of bob');
    await sleep(1_300);
    const others = await Promise.all(['c', 'd', 'e'].map((uid) => kit.user(uid)));
    const otherRooms = others.map((o) => o.createChannel('big'));
    for (const r of otherRooms) await r.join();
    await waitFor(() => counts.at(-1)?.count === 5, 4_000, 'the count of 5');
    await otherRooms[0]!.leave();
    await waitFor(() => counts.at(-1)?.count === 4, 4_000, 'the count of 4');
    expect(log.filter((e) => !e.startsWith('count:'))).toEqual(['joined:bob']);
    const large = counts.filter((c) => c.count > 2);
    for (let i = 1; i < large.length; i++) expect(large[i]!.at - large[i - 1]!.at).toBeGreaterThanOrEqual(1_150);
  }, 15_000);
});

describe('members whose session ends', () => {
  const kit = useKit();

  it('leave the channel when the grace period ends: MemberLeft at 30 s, not before (fake clock)', async () => {
    const clock = createManualClock();
    await kit.start({ clock });
    const alice = await kit.user('alice');
    const room = alice.createChannel('room');
    const log = channelLog(room);
    await room.join();
    const net = manualTransport();
    const bob = kit.client({ transport: net.transport });
    await bob.login({ uid: 'bob' });
    await bob.createChannel('room').join();
    await waitFor(() => log.includes('joined:bob'), 2_000, 'MemberJoined');
    await clock.advance(1_000); // the server's throttle period (on its clock) for the count of 2
    await waitFor(() => log.includes('count:2'), 3_000, 'the count of 2');
    net.drop();
    await waitFor(async () => (await kit.server.core.sessions.get(APP_ID, 'bob'))?.connected === false, 2_000, 'the drop');
    await clock.advance(29_999);
    await sleep(100);
    expect(log).not.toContain('left:bob');
    await clock.advance(1);
    await waitFor(() => log.includes('left:bob'), 2_000, 'MemberLeft');
    await waitFor(() => log.at(-1) === 'count:1', 3_000, 'the count of 1');
    expect(await room.getMembers()).toEqual(['alice']);
  });
});
