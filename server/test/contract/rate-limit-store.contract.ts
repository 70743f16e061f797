import { describe, expect, it } from 'vitest';
import type { Store } from '@rtm-kit/server/core';

const LIMIT = { count: 3, windowMs: 1_000 };

/** What every RateLimitStore must do: sliding windows, distinct targets, atomic under concurrency. */
export function describeRateLimitStoreContract(makeStore: () => Promise<Store>): void {
  describe('rate limits', () => {
    it('allows count calls per sliding window and counts nothing it refuses', async () => {
      const { rateLimits: s } = await makeStore();
      const taken = [];
      for (const at of [0, 100, 200, 300, 999]) taken.push(await s.tryTake('login', 'k', LIMIT, at));
      expect(taken).toEqual([true, true, true, false, false]);
      // The first call leaves the window at 1,000; the refused ones never entered it.
      expect(await s.tryTake('login', 'k', LIMIT, 1_000)).toBe(true);
      expect(await s.tryTake('login', 'k', LIMIT, 1_001)).toBe(false);
      expect(await s.tryTake('login', 'k', LIMIT, 1_100)).toBe(true);
    });

    it('keeps keys and limit names apart', async () => {
      const { rateLimits: s } = await makeStore();
      for (let i = 0; i < 3; i++) expect(await s.tryTake('login', 'a', LIMIT, i)).toBe(true);
      expect(await s.tryTake('login', 'a', LIMIT, 5)).toBe(false);
      expect(await s.tryTake('login', 'b', LIMIT, 5)).toBe(true);
      expect(await s.tryTake('renew', 'a', LIMIT, 5)).toBe(true);
    });

    it('never lets concurrent calls overshoot the limit', async () => {
      const { rateLimits: s } = await makeStore();
      const results = await Promise.all(Array.from({ length: 20 }, () => s.tryTake('messages', 'k', LIMIT, 10)));
      expect(results.filter(Boolean)).toHaveLength(3);
    });

    it('counts distinct targets, repeats within the window free', async () => {
      const { rateLimits: s } = await makeStore();
      const limit = { count: 2, windowMs: 1_000 };
      expect(await s.tryTakeDistinct('offline', 'k', 'x', limit, 0)).toBe(true);
      expect(await s.tryTakeDistinct('offline', 'k', 'y', limit, 10)).toBe(true);
      expect(await s.tryTakeDistinct('offline', 'k', 'x', limit, 20)).toBe(true);
      expect(await s.tryTakeDistinct('offline', 'k', 'z', limit, 30)).toBe(false);
      expect(await s.tryTakeDistinct('offline', 'other', 'z', limit, 30)).toBe(true);
      // x leaves the window at 1,000: z fits, and x counts again as new.
      expect(await s.tryTakeDistinct('offline', 'k', 'z', limit, 1_000)).toBe(true);
      expect(await s.tryTakeDistinct('offline', 'k', 'x', limit, 1_001)).toBe(false);
    });

    it('never lets concurrent distinct targets overshoot the limit', async () => {
      const { rateLimits: s } = await makeStore();
      const limit = { count: 4, windowMs: 1_000 };
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => s.tryTakeDistinct('offline', 'k', `t${i}`, limit, 5)));
      expect(results.filter(Boolean)).toHaveLength(4);
    });
  });
}
