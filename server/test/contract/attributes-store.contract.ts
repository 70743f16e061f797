import { describe, expect, it } from 'vitest';
import type { Store } from '@rtm-kit/server/core';

const APP = '0123456789abcdef0123456789abcdef';
const OTHER_APP = 'ffffffffffffffffffffffffffffffff';
const ROOMY = { maxCount: Number.POSITIVE_INFINITY, maxBytes: 16_384 };

/** What every UserAttributeStore and ChannelAttributeStore must do. */
export function describeAttributeStoreContract(makeStore: () => Promise<Store>): void {
  describe('user attributes', () => {
    it('applies set, add-or-update, delete and clear to the set the session owns', async () => {
      const { userAttributes: s } = await makeStore();
      await s.openUserAttributes(APP, 'u', 's1');
      expect(await s.writeUserAttributes(APP, 'u', 's1', { kind: 'set', entries: [['a', '1'], ['b', '2']] }, ROOMY)).toEqual({ ok: true });
      expect(await s.writeUserAttributes(APP, 'u', 's1', { kind: 'addOrUpdate', entries: [['b', '3'], ['c', '4']] }, ROOMY)).toEqual({ ok: true });
      expect(await s.getUserAttributes(APP, 'u', null)).toEqual([['a', '1'], ['b', '3'], ['c', '4']]);
      await s.writeUserAttributes(APP, 'u', 's1', { kind: 'delete', keys: ['a', 'zz'] }, ROOMY);
      expect(await s.getUserAttributes(APP, 'u', ['c', 'zz', 'b'])).toEqual([['c', '4'], ['b', '3']]);
      await s.writeUserAttributes(APP, 'u', 's1', { kind: 'clear' }, ROOMY);
      expect(await s.getUserAttributes(APP, 'u', null)).toEqual([]);
    });

    it('refuses writes by any other session, and keeps users and apps apart', async () => {
      const { userAttributes: s } = await makeStore();
      expect(await s.writeUserAttributes(APP, 'u', 's1', { kind: 'clear' }, ROOMY)).toEqual({ ok: false, reason: 'NO_SESSION' });
      await s.openUserAttributes(APP, 'u', 's1');
      await s.writeUserAttributes(APP, 'u', 's1', { kind: 'set', entries: [['k', 'v']] }, ROOMY);
      expect(await s.writeUserAttributes(APP, 'u', 's0', { kind: 'set', entries: [['k', 'x']] }, ROOMY)).toEqual({ ok: false, reason: 'NO_SESSION' });
      expect(await s.getUserAttributes(APP, 'other', null)).toEqual([]);
      expect(await s.getUserAttributes(OTHER_APP, 'u', null)).toEqual([]);
      // A new session starts empty; the old one can neither write nor close it.
      await s.openUserAttributes(APP, 'u', 's2');
      expect(await s.getUserAttributes(APP, 'u', null)).toEqual([]);
      expect(await s.writeUserAttributes(APP, 'u', 's1', { kind: 'set', entries: [['k', 'old']] }, ROOMY)).toEqual({ ok: false, reason: 'NO_SESSION' });
      await s.writeUserAttributes(APP, 'u', 's2', { kind: 'set', entries: [['k', 'new']] }, ROOMY);
      await s.closeUserAttributes(APP, 'u', 's1');
      expect(await s.getUserAttributes(APP, 'u', null)).toEqual([['k', 'new']]);
      await s.closeUserAttributes(APP, 'u', 's2');
      expect(await s.getUserAttributes(APP, 'u', null)).toEqual([]);
      expect(await s.writeUserAttributes(APP, 'u', 's2', { kind: 'clear' }, ROOMY)).toEqual({ ok: false, reason: 'NO_SESSION' });
    });

    it('checks the resulting set against the caps and leaves it unchanged when over', async () => {
      const { userAttributes: s } = await makeStore();
      await s.openUserAttributes(APP, 'u', 's1');
      const caps = { maxCount: Number.POSITIVE_INFINITY, maxBytes: 10 };
      expect(await s.writeUserAttributes(APP, 'u', 's1', { kind: 'set', entries: [['ab', '12345678']] }, caps)).toEqual({ ok: true });
      expect(await s.writeUserAttributes(APP, 'u', 's1', { kind: 'addOrUpdate', entries: [['c', 'd']] }, caps)).toEqual({ ok: false, reason: 'SIZE_OVERFLOW' });
      expect(await s.getUserAttributes(APP, 'u', null)).toEqual([['ab', '12345678']]);
      // Multi-byte characters count in UTF-8 bytes.
      expect(await s.writeUserAttributes(APP, 'u', 's1', { kind: 'set', entries: [['k', 'ééééé']] }, caps)).toEqual({ ok: false, reason: 'SIZE_OVERFLOW' });
    });

    it('loses no update when writes race', async () => {
      const { userAttributes: s } = await makeStore();
      await s.openUserAttributes(APP, 'u', 's1');
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => s.writeUserAttributes(APP, 'u', 's1', { kind: 'addOrUpdate', entries: [[`k${i}`, 'v']] }, ROOMY)),
      );
      expect(await s.getUserAttributes(APP, 'u', null)).toHaveLength(20);
    });
  });

  describe('channel attributes', () => {
    const caps = { maxCount: 3, maxBytes: 100 };
    const by = (uid: string, at: number) => ({ uid, at });

    it('records who wrote each value and when; untouched keys keep theirs', async () => {
      const { channelAttributes: s } = await makeStore();
      const first = await s.writeChannelAttributes(APP, 'c', { kind: 'set', entries: [['a', '1'], ['b', '2']] }, by('u1', 10), caps, 10);
      expect(first).toMatchObject({ ok: true, emptySince: 10 });
      const second = await s.writeChannelAttributes(APP, 'c', { kind: 'addOrUpdate', entries: [['b', '3']] }, by('u2', 20), caps, 20);
      expect(second).toEqual({
        ok: true,
        revision: expect.any(Number),
        emptySince: 10,
        attributes: [
          { key: 'a', value: '1', lastUpdateUserId: 'u1', lastUpdateTs: 10 },
          { key: 'b', value: '3', lastUpdateUserId: 'u2', lastUpdateTs: 20 },
        ],
      });
      if (first.ok && second.ok) expect(second.revision).toBeGreaterThan(first.revision);
      expect(await s.getChannelAttributes(APP, 'c', ['b'])).toEqual([{ key: 'b', value: '3', lastUpdateUserId: 'u2', lastUpdateTs: 20 }]);
      expect(await s.getChannelAttributes(OTHER_APP, 'c', null)).toEqual([]);
      await s.writeChannelAttributes(APP, 'c', { kind: 'delete', keys: ['a'] }, by('u1', 30), caps, 30);
      expect((await s.getChannelAttributes(APP, 'c', null)).map((a) => a.key)).toEqual(['b']);
      await s.writeChannelAttributes(APP, 'c', { kind: 'clear' }, by('u1', 40), caps, 40);
      expect(await s.getChannelAttributes(APP, 'c', null)).toEqual([]);
    });

    it('refuses a write whose result is over the count or byte cap', async () => {
      const { channelAttributes: s } = await makeStore();
      await s.writeChannelAttributes(APP, 'c', { kind: 'set', entries: [['a', '1'], ['b', '2'], ['c', '3']] }, by('u', 1), caps, 1);
      expect(await s.writeChannelAttributes(APP, 'c', { kind: 'addOrUpdate', entries: [['d', '4']] }, by('u', 2), caps, 2)).toEqual({
        ok: false,
        reason: 'SIZE_OVERFLOW',
      });
      expect(await s.writeChannelAttributes(APP, 'c', { kind: 'addOrUpdate', entries: [['a', 'x'.repeat(100)]] }, by('u', 2), caps, 2)).toEqual({
        ok: false,
        reason: 'SIZE_OVERFLOW',
      });
      expect((await s.getChannelAttributes(APP, 'c', null)).map((a) => a.value)).toEqual(['1', '2', '3']);
    });

    it('clears a channel only when it has been empty since the given time', async () => {
      const { channelAttributes: s } = await makeStore();
      expect(await s.markChannelEmpty(APP, 'c', 5)).toBe(false); // no attributes, nothing to track
      await s.writeChannelAttributes(APP, 'c', { kind: 'set', entries: [['a', '1']] }, by('u', 10), caps, 10);
      expect(await s.expireChannelAttributes(APP, 'c', 9)).toBe(false);
      expect(await s.markChannelEmpty(APP, 'c', null)).toBe(true); // occupied
      expect(await s.expireChannelAttributes(APP, 'c', 1_000)).toBe(false);
      await s.markChannelEmpty(APP, 'c', 50); // emptied again
      const write = await s.writeChannelAttributes(APP, 'c', { kind: 'addOrUpdate', entries: [['b', '2']] }, by('u', 60), caps, 60);
      expect(write).toMatchObject({ ok: true, emptySince: 50 });
      expect(await s.expireChannelAttributes(APP, 'c', 49)).toBe(false);
      expect(await s.expireChannelAttributes(APP, 'c', 50)).toBe(true);
      expect(await s.getChannelAttributes(APP, 'c', null)).toEqual([]);
      // A channel with members when its first attribute is written records no empty time.
      expect(await s.writeChannelAttributes(APP, 'd', { kind: 'set', entries: [['a', '1']] }, by('u', 70), caps, null)).toMatchObject({ emptySince: null });
      expect(await s.expireChannelAttributes(APP, 'd', 1_000)).toBe(false);
    });

    it('loses no update and tears no map when writers race', async () => {
      const { channelAttributes: s } = await makeStore();
      const wide = { maxCount: 100, maxBytes: 10_000 };
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          s.writeChannelAttributes(APP, 'c', { kind: 'addOrUpdate', entries: [[`k${i}`, 'v'], ['last', `${i}`]] }, by(`u${i}`, i), wide, 0),
        ),
      );
      const stored = await s.getChannelAttributes(APP, 'c', null);
      expect(stored).toHaveLength(21);
      // Every write saw a whole map: revisions are distinct and the newest one is the stored map.
      const ok = results.filter((r) => r.ok);
      expect(new Set(ok.map((r) => r.revision)).size).toBe(20);
      const newest = ok.reduce((a, b) => (b.revision > a.revision ? b : a));
      expect(newest.attributes).toEqual(stored);
    });
  });
}
