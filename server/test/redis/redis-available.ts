import { Redis } from 'ioredis';

/** The Redis the Redis tests use: `REDIS_URL`, or a local default. */
export const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** One quick ping: a short connect timeout, no retries, nothing queued while offline. */
async function probe(): Promise<boolean> {
  const client = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** Whether Redis answered; tests that need it run with `describe.runIf(redisAvailable)`. */
export const redisAvailable = await probe();

if (!redisAvailable) {
  console.warn(`Redis tests skipped: no Redis at ${redisUrl}. Start one (redis-server) or set REDIS_URL to run them.`);
}
