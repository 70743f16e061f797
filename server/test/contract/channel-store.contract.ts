import { describe, expect, it } from 'vitest';
import type { Store } from '@rtm-kit/server/core';

const APP = '0123456789abcdef0123456789abcdef';
const OTHER_APP = 'ffffffffffffffffffffffffffffffff';
const text = (from: string, serverReceivedTs: number, t = 'x') => ({ from, message: { type: 'TEXT' as const, text: t }, serverReceivedTs });

/** What every ChannelStore must do; run by each store implementation's test. */
export function describeChannelStoreContract(makeStore: () => Promise<Store>): void {
  describe('channels', () => {
    it('joins members with their session, counts and lists them', async () => {
      const { channels } = await makeStore();
      expect(await channels.join(APP, 'room', 'alice', 'sa', 20)).toEqual({ ok: true, count: 1, seq: 0, already: false });
      expect(await channels.join(APP, 'room', 'bob', 'sb', 20)).toEqual({ ok: true, count: 2, seq: 0, already: false });
      expect(await channels.count(APP, 'room')).toBe(2);
      expect((await channels.members(APP, 'room')).sort()).toEqual(['alice', 'bob']);
      expect(await channels.isMember(APP, 'room', 'alice')).toBe(true);
      expect(await channels.isMember(APP, 'room', 'alice', 'sa')).toBe(true);
      expect(await channels.isMember(APP, 'room', 'alice', 'other')).toBe(false);
      expect(await channels.count(OTHER_APP, 'room')).toBe(0);
      expect(await channels.members(APP, 'nowhere')).toEqual([]);
    });

    it('answers a second join of the same session as already joined, changing nothing', async () => {
      const { channels } = await makeStore();
      await channels.join(APP, 'room', 'alice', 'sa', 20);
      expect(await channels.join(APP, 'room', 'alice', 'sa', 20)).toEqual({ ok: true, count: 1, seq: 0, already: true });
      expect(await channels.channelsOf(APP, 'alice', 'sa')).toEqual(['room']);
    });

    it('refuses a join beyond the per-session limit', async () => {
      const { channels } = await makeStore();
      await channels.join(APP, 'a', 'alice', 'sa', 2);
      await channels.join(APP, 'b', 'alice', 'sa', 2);
      expect(await channels.join(APP, 'c', 'alice', 'sa', 2)).toEqual({ ok: false, reason: 'EXCEED_LIMIT' });
      expect(await channels.count(APP, 'c')).toBe(0);
      expect((await channels.channelsOf(APP, 'alice', 'sa')).sort()).toEqual(['a', 'b']);
    });

    it('leaves only through the session that joined', async () => {
      const { channels } = await makeStore();
      await channels.join(APP, 'room', 'alice', 'sa', 20);
      await channels.join(APP, 'room', 'bob', 'sb', 20);
      expect(await channels.leave(APP, 'room', 'alice', 'wrong')).toBeNull();
      expect(await channels.leave(APP, 'room', 'carol', 'sc')).toBeNull();
      expect(await channels.leave(APP, 'room', 'alice', 'sa')).toEqual({ count: 1 });
      expect(await channels.leave(APP, 'room', 'alice', 'sa')).toBeNull();
      expect(await channels.channelsOf(APP, 'alice', 'sa')).toEqual([]);
    });

    it('leaves every channel of a session at once', async () => {
      const { channels } = await makeStore();
      await channels.join(APP, 'a', 'alice', 'sa', 20);
      await channels.join(APP, 'b', 'alice', 'sa', 20);
      await channels.join(APP, 'b', 'bob', 'sb', 20);
      expect(await channels.leaveAll(APP, 'alice', 'other')).toEqual([]);
      const left = await channels.leaveAll(APP, 'alice', 'sa');
      expect([...left].sort((x, y) => x.channelId.localeCompare(y.channelId))).toEqual([
        { channelId: 'a', count: 0 },
        { channelId: 'b', count: 1 },
      ]);
      expect(await channels.channelsOf(APP, 'alice', 'sa')).toEqual([]);
      expect(await channels.members(APP, 'b')).toEqual(['bob']);
    });

    it('numbers messages of members only, and keeps the newest within the bounds', async () => {
      const { channels } = await makeStore();
      await channels.join(APP, 'room', 'alice', 'sa', 20);
      expect(await channels.append(APP, 'room', 'sa', text('mallory', 0), 32, 0)).toBeNull();
      expect(await channels.append(APP, 'room', 'wrong', text('alice', 0), 32, 0)).toBeNull();
      for (let i = 1; i <= 5; i++) expect(await channels.append(APP, 'room', 'sa', text('alice', i * 10, `m${i}`), 3, 0)).toBe(i);
      const kept = await channels.missed(APP, 'room', 'alice', 'sa', 0, 0, 32);
      expect(kept?.map((m) => m.seq)).toEqual([3, 4, 5]);
      expect(kept?.[0]).toMatchObject({ from: 'alice', message: { type: 'TEXT', text: 'm3' }, serverReceivedTs: 30 });
      expect((await channels.missed(APP, 'room', 'alice', 'sa', 3, 0, 32))?.map((m) => m.seq)).toEqual([4, 5]);
      expect((await channels.missed(APP, 'room', 'alice', 'sa', 0, 0, 2))?.map((m) => m.seq)).toEqual([4, 5]);
      expect((await channels.missed(APP, 'room', 'alice', 'sa', 0, 45, 32))?.map((m) => m.seq)).toEqual([5]);
      // A join reports the sequence reached so far.
      expect(await channels.join(APP, 'room', 'bob', 'sb', 20)).toMatchObject({ seq: 5 });
    });

    it('replays to a member only what was sent after it joined, and nothing to a non-member', async () => {
      const { channels } = await makeStore();
      await channels.join(APP, 'room', 'alice', 'sa', 20);
      for (let i = 1; i <= 3; i++) await channels.append(APP, 'room', 'sa', text('alice', i, `m${i}`), 32, 0);
      expect(await channels.join(APP, 'room', 'bob', 'sb', 20)).toMatchObject({ seq: 3 });
      await channels.append(APP, 'room', 'sa', text('alice', 4, 'm4'), 32, 0);
      // Asking from 0 does not reach below the join (1.x never delivers history).
      expect((await channels.missed(APP, 'room', 'bob', 'sb', 0, 0, 32))?.map((m) => m.seq)).toEqual([4]);
      expect(await channels.missed(APP, 'room', 'bob', 'sb', 4, 0, 32)).toEqual([]);
      // A join of the same session again changes nothing, not even where its replay starts.
      await channels.join(APP, 'room', 'bob', 'sb', 20);
      expect((await channels.missed(APP, 'room', 'bob', 'sb', 0, 0, 32))?.map((m) => m.seq)).toEqual([4]);
      expect((await channels.missed(APP, 'room', 'alice', 'sa', 0, 0, 32))?.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
      expect(await channels.missed(APP, 'room', 'carol', 'sc', 0, 0, 32)).toBeNull();
      expect(await channels.missed(APP, 'room', 'bob', 'another-session', 0, 0, 32)).toBeNull();
      // Left and joined again: a new membership, with its own start.
      await channels.leave(APP, 'room', 'bob', 'sb');
      await channels.append(APP, 'room', 'sa', text('alice', 5, 'm5'), 32, 0);
      await channels.join(APP, 'room', 'bob', 'sb', 20);
      await channels.append(APP, 'room', 'sa', text('alice', 6, 'm6'), 32, 0);
      expect((await channels.missed(APP, 'room', 'bob', 'sb', 0, 0, 32))?.map((m) => m.seq)).toEqual([6]);
    });

    it('numbers a message from the server side (no session) among the members\' messages, in a channel with members only', async () => {
      const { channels } = await makeStore();
      expect(await channels.append(APP, 'room', null, text('system', 1, 'nobody here'), 32, 0)).toBeNull();
      await channels.join(APP, 'room', 'alice', 'sa', 20);
      expect(await channels.append(APP, 'room', 'sa', text('alice', 2, 'm1'), 32, 0)).toBe(1);
      expect(await channels.append(APP, 'room', null, text('system', 3, 'notice'), 32, 0)).toBe(2);
      const kept = await channels.missed(APP, 'room', 'alice', 'sa', 0, 0, 32);
      expect(kept?.map((m) => [m.seq, m.from])).toEqual([
        [1, 'alice'],
        [2, 'system'],
      ]);
      expect(await channels.members(APP, 'room')).toEqual(['alice']);
    });

    it('drops messages older than the replay window when appending', async () => {
      const { channels } = await makeStore();
      await channels.join(APP, 'room', 'alice', 'sa', 20);
      await channels.append(APP, 'room', 'sa', text('alice', 0), 32, 0);
      await channels.append(APP, 'room', 'sa', text('alice', 100), 32, 50);
      expect((await channels.missed(APP, 'room', 'alice', 'sa', 0, 0, 32))?.map((m) => m.seq)).toEqual([2]);
    });

    it('forgets an empty channel: members, messages and sequence start over', async () => {
      const { channels } = await makeStore();
      await channels.join(APP, 'room', 'alice', 'sa', 20);
      await channels.append(APP, 'room', 'sa', text('alice', 0), 32, 0);
      await channels.leave(APP, 'room', 'alice', 'sa');
      expect(await channels.join(APP, 'room', 'alice', 'sa2', 20)).toEqual({ ok: true, count: 1, seq: 0, already: false });
      expect(await channels.missed(APP, 'room', 'alice', 'sa2', 0, 0, 32)).toEqual([]);
    });

    it('counts one joined-channel budget per session', async () => {
      const { channels } = await makeStore();
      await channels.join(APP, 'a', 'alice', 's1', 1);
      await channels.leaveAll(APP, 'alice', 's1');
      expect(await channels.join(APP, 'b', 'alice', 's2', 1)).toMatchObject({ ok: true });
      expect(await channels.channelsOf(APP, 'alice', 's1')).toEqual([]);
      expect(await channels.channelsOf(APP, 'alice', 's2')).toEqual(['b']);
    });
  });
}
