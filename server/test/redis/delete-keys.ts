import { RedisStore } from '../../src/stores/redis/index.js';

/** Deletes every key under `prefix` (`RedisStore.deleteAll`), so a test leaves Redis as it found it. */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const store = new RedisStore({ url, keyPrefix: prefix });
  try {
    await store.deleteAll();
  } finally {
    await store.close();
  }
}
