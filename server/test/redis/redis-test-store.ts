import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach } from 'vitest';
import { RedisStore } from '../../src/stores/redis/index.js';
import { redisUrl } from './redis-available.js';

/** Keys of one prefix a test may leave; more means a leak worth failing on. */
const MAX_KEYS_PER_TEST = 100_000;

/**
 * Stores for one test file: each `make()` gets a prefix of its own (parallel files never meet),
 * `sibling(store)` a second store on the same prefix (another node). After each test every store
 * is closed and its prefix's keys deleted (SCAN + UNLINK, bounded).
 */
export function redisTestStores(): { make: () => Promise<RedisStore>; sibling: (store: RedisStore) => RedisStore } {
  const open: RedisStore[] = [];
  const prefixes = new Set<string>();

  afterEach(async () => {
    const stores = open.splice(0);
    const cleaner = new Redis(redisUrl);
    try {
      for (const prefix of prefixes) await unlinkPrefix(cleaner, prefix);
    } finally {
      prefixes.clear();
      await Promise.all(stores.map((s) => s.close()));
      await cleaner.quit();
    }
  });

  return {
    make: async () => {
      const keyPrefix = `rtm-test:${randomUUID()}:`;
      prefixes.add(keyPrefix);
      const store = new RedisStore({ url: redisUrl, keyPrefix });
      open.push(store);
      return store;
    },
    sibling: (store) => {
      const other = new RedisStore({ url: redisUrl, keyPrefix: store.keys.prefix });
      open.push(other);
      return other;
    },
  };
}

/** Every key under a prefix (for tests that look at them). */
export async function keysOf(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  const pattern = `${prefix.replace(/[*?[\]\\]/g, (c) => `\\${c}`)}*`;
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000);
    found.push(...batch);
    cursor = next;
    if (found.length > MAX_KEYS_PER_TEST) throw new Error(`more than ${MAX_KEYS_PER_TEST} keys under ${prefix}`);
  } while (cursor !== '0');
  return found;
}

async function unlinkPrefix(redis: Redis, prefix: string): Promise<void> {
  const keys = await keysOf(redis, prefix);
  for (let i = 0; i < keys.length; i += 500) await redis.unlink(...keys.slice(i, i + 500));
}
