import { describe, expect, it } from 'vitest';
import type { Store } from '@rtm-kit/server/core';

const APP = '0123456789abcdef0123456789abcdef';
const NOW = 1_000_000;

/** What every store's `mediaSlots` must do: at most `max` holders per user, each given back once. */
export function describeMediaSlotStoreContract(makeStore: () => Promise<Store>): void {
  describe('media transfer slots', () => {
    async function slots() {
      const { mediaSlots } = await makeStore();
      if (!mediaSlots) throw new Error('the store keeps no media slots');
      return mediaSlots;
    }

    it('gives at most max slots to a user, and one back per holder', async () => {
      const s = await slots();
      expect(await s.take(APP, 'alice', 'u1', 2, NOW)).toBe(true);
      expect(await s.take(APP, 'alice', 'u2', 2, NOW)).toBe(true);
      expect(await s.take(APP, 'alice', 'u3', 2, NOW)).toBe(false);
      expect(await s.give(APP, 'alice', 'u1')).toBe(true);
      expect(await s.give(APP, 'alice', 'u1')).toBe(false);
      expect(await s.take(APP, 'alice', 'u3', 2, NOW)).toBe(true);
      expect(await s.take(APP, 'alice', 'u4', 2, NOW)).toBe(false);
    });

    it('keeps the slot of a holder that takes again, without counting it twice', async () => {
      const s = await slots();
      expect(await s.take(APP, 'alice', 'u1', 2, NOW)).toBe(true);
      expect(await s.take(APP, 'alice', 'u1', 2, NOW + 1)).toBe(true);
      expect(await s.take(APP, 'alice', 'u2', 2, NOW + 2)).toBe(true);
      expect(await s.take(APP, 'alice', 'u1', 2, NOW + 3)).toBe(true);
      expect(await s.take(APP, 'alice', 'u3', 2, NOW + 4)).toBe(false);
    });

    it('counts users and apps apart, and knows nothing of holders it never gave a slot', async () => {
      const s = await slots();
      expect(await s.take(APP, 'alice', 'x', 1, NOW)).toBe(true);
      expect(await s.take(APP, 'bob', 'y', 1, NOW)).toBe(true);
      expect(await s.take('f'.repeat(32), 'alice', 'z', 1, NOW)).toBe(true);
      expect(await s.take(APP, 'alice', 'w', 1, NOW)).toBe(false);
      expect(await s.give(APP, 'alice', 'never')).toBe(false);
      expect(await s.give(APP, 'bob', 'x')).toBe(false);
      expect(await s.take(APP, 'alice', 'w', 1, NOW)).toBe(false);
    });

    it('never lets concurrent takes pass the limit', async () => {
      const s = await slots();
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => s.take(APP, 'a:b{c}', `h${i}`, 9, NOW)));
      expect(results.filter(Boolean)).toHaveLength(9);
      const given = await Promise.all(Array.from({ length: 20 }, (_, i) => s.give(APP, 'a:b{c}', `h${i}`)));
      expect(given).toEqual(results);
    });

    it('renews only a slot still held', async () => {
      const s = await slots();
      expect(await s.take(APP, 'alice', 'u1', 1, NOW)).toBe(true);
      await s.renew?.(APP, 'alice', 'u1', NOW + 10);
      await s.renew?.(APP, 'alice', 'gone', NOW + 10);
      expect(await s.take(APP, 'alice', 'gone', 1, NOW + 10)).toBe(false);
      expect(await s.give(APP, 'alice', 'u1')).toBe(true);
      expect(await s.take(APP, 'alice', 'gone', 1, NOW + 10)).toBe(true);
    });
  });
}
