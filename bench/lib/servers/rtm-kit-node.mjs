/**
 * One rtm-kit node for the fleet benchmark (bench/fleet.mjs): the same server as rtm-kit.mjs,
 * with the store named by the environment: `RTM_BENCH_REDIS` (a Redis URL) and
 * `RTM_BENCH_PREFIX` make it a node of a fleet sharing that Redis; without them, the memory store.
 */
import { startServer } from '@rtm-kit/server';
import { APP_CERTIFICATE, APP_ID } from '../config.mjs';
import { serveControl } from './control.mjs';

const redis = process.env['RTM_BENCH_REDIS'];
const server = await startServer({
  port: 0,
  host: '127.0.0.1',
  apps: [{ appId: APP_ID, appCertificate: APP_CERTIFICATE }],
  ...(redis ? { store: { redis: { url: redis, keyPrefix: process.env['RTM_BENCH_PREFIX'] ?? 'rtm-bench:' } } } : {}),
  logger: {
    info() {},
    warn: (message, detail) => console.error(`[rtm-kit] ${message}`, ...(detail === undefined ? [] : [detail])),
    error: (message, detail) => console.error(`[rtm-kit] ${message}`, ...(detail === undefined ? [] : [detail])),
  },
});

serveControl({ url: server.url, close: () => server.close() });
