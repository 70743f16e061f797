import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '@rtm-kit/server/core';
import { RedisScheduler } from '../../src/stores/redis/scheduler.js';
import { RedisRateLimitStore } from '../../src/stores/redis/rate-limit-store.js';
import { describeSchedulerContract } from '../contract/scheduler.contract.js';
import { describeRateLimitStoreContract } from '../contract/rate-limit-store.contract.js';
import type { Store } from '@rtm-kit/server/core';
import { redisAvailable, redisUrl } from './redis-available.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Schedulers claim deadlines once started (after their handlers are registered, in a server). */
function polling(scheduler: RedisScheduler): RedisScheduler {
  queueMicrotask(() => scheduler.start());
  return scheduler;
}

describe.runIf(redisAvailable)('Redis deadlines and rate limits', () => {
  const clients: Redis[] = [];
  const prefixes: string[] = [];
  const client = () => {
    const c = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    clients.push(c);
    return c;
  };
  const prefix = () => {
    const p = `rtm-test:${randomUUID()}:`;
    prefixes.push(p);
    return p;
  };
  afterAll(async () => {
    const c = client();
    for (const p of prefixes) {
      const keys = await c.keys(`${p}*`);
      if (keys.length > 0) await c.unlink(...keys);
    }
    for (const each of clients) each.disconnect();
  });

  describe('RedisScheduler', () => {
    describeSchedulerContract(async () => polling(new RedisScheduler(client(), prefix(), systemClock, () => {}, { pollMs: 20 })));

    it('runs each deadline on exactly one of the nodes polling it', async () => {
      const shared = prefix();
      const runs: string[] = [];
      const nodes = [0, 1, 2].map((n) => {
        const s = polling(new RedisScheduler(client(), shared, systemClock, () => {}, { pollMs: 10 }));
        s.handle('k', async (key) => void runs.push(`${n}:${key}`));
        return s;
      });
      const dueAt = Date.now() + 30;
      for (let i = 0; i < 30; i++) await nodes[i % 3]!.schedule('k', `d${i}`, dueAt);
      await sleep(400);
      for (const s of nodes) s.dispose();
      expect(runs).toHaveLength(30);
      expect(new Set(runs.map((r) => r.split(':')[1])).size).toBe(30);
    });

    it('runs again, on another node, a deadline whose node died while running it', async () => {
      const shared = prefix();
      const dying = polling(new RedisScheduler(client(), shared, systemClock, () => {}, { pollMs: 10, leaseMs: 150 }));
      let started = 0;
      // This node takes the deadline and never finishes it: it died mid-handler.
      dying.handle('k', () => {
        started += 1;
        return new Promise<void>(() => {});
      });
      const dueAt = Date.now() + 20;
      await dying.schedule('k', 'grace', dueAt);
      await sleep(120);
      dying.dispose();
      expect(started).toBe(1);
      const runs: Array<[string, number]> = [];
      const survivor = polling(new RedisScheduler(client(), shared, systemClock, () => {}, { pollMs: 10, leaseMs: 150 }));
      survivor.handle('k', async (key, at) => void runs.push([key, at]));
      await sleep(400);
      survivor.dispose();
      expect(runs).toEqual([['grace', dueAt]]);
    });

    it('keeps deadlines in Redis for the other nodes when a node stops', async () => {
      const shared = prefix();
      const first = polling(new RedisScheduler(client(), shared, systemClock, () => {}, { pollMs: 10 }));
      first.handle('k', async () => {});
      await first.schedule('k', 'later', Date.now() + 150);
      first.dispose();
      const runs: string[] = [];
      const second = polling(new RedisScheduler(client(), shared, systemClock, () => {}, { pollMs: 10 }));
      second.handle('k', async (key) => void runs.push(key));
      await sleep(400);
      second.dispose();
      expect(runs).toEqual(['later']);
    });
  });

  describe('RedisRateLimitStore', () => {
    describeRateLimitStoreContract(async () => ({ rateLimits: new RedisRateLimitStore(client(), prefix()) }) as unknown as Store);

    it('counts every node against one budget', async () => {
      const shared = prefix();
      const a = new RedisRateLimitStore(client(), shared);
      const b = new RedisRateLimitStore(client(), shared);
      const limit = { count: 4, windowMs: 1_000 };
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).tryTake('login', 'alice', limit, 100)));
      expect(results.filter(Boolean)).toHaveLength(4);
    });
  });
});
