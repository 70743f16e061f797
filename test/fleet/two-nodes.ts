/**
 * `@rtm-kit/server` for the fleet run of the integration suites: the same exports, except that
 * `startServer` starts two nodes sharing one Redis and hands out their URLs in turn, so the two
 * users of each scenario log in on different nodes. Vitest's `server-fleet` and `client-fleet`
 * projects alias `@rtm-kit/server` to this module.
 *
 * Some tests are about one process and get one node, as they ask (`isSingleNode`).
 * Each pair of nodes has a key prefix of its own, so test files running side by side share a
 * Redis without seeing each other, and its keys are deleted when it closes.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { deleteKeys } from '../../server/test/redis/delete-keys.js';
import { DiskMediaStorage, startServer as startNode, type MediaStorage, type RtmServer, type ServerOptions } from '../../server/src/index.js';

export * from '../../server/src/index.js';

export const FLEET_REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Two nodes seen as one server; `nodes` for a test that wants to pick. */
export interface FleetServer extends RtmServer {
  readonly nodes: readonly [RtmServer, RtmServer];
}

export async function startServer(options: ServerOptions = {}): Promise<RtmServer> {
  if (isSingleNode(options)) return startNode(options);
  const keyPrefix = `rtm-fleet-test:${randomUUID()}:`;
  const { mediaDir: _dir, mediaStorage: _storage, ...rest } = options;
  const mediaStorage = fleetMediaStorage(options);
  const node = (): Promise<RtmServer> =>
    startNode({
      ...rest,
      ...(mediaStorage ? { mediaStorage } : {}),
      store: { redis: { url: FLEET_REDIS_URL, keyPrefix, heartbeatMs: 250, nodeTimeoutMs: 1_500, deadlinePollMs: 20 } },
    });
  const a = await node();
  const b = await node();
  let turn = 0;
  const fleet: FleetServer = {
    nodes: [a, b],
    get url() {
      return (turn++ % 2 === 0 ? a : b).url;
    },
    port: a.port,
    core: a.core,
    async drain() {
      await Promise.all([a.drain(), b.drain()]);
      await deleteKeys(FLEET_REDIS_URL, keyPrefix);
    },
    async close() {
      await Promise.all([a.close(), b.close()]);
      await deleteKeys(FLEET_REDIS_URL, keyPrefix);
    },
  };
  return fleet;
}


/**
 * A test gets one node, as it asks, when it names a store (it inspects the memory store, or
 * restarts a memory-store server), a manual clock (it steps timers of one process and checks their effect at once; a
 * fleet's deadlines wait in Redis, polled in real time, and are covered by the scheduler contract
 * and the real-time fleet tests), or a fixed port (it restarts "the" server in place).
 */
function isSingleNode(options: ServerOptions): boolean {
  return options.store !== undefined || options.clock !== undefined || (options.port !== undefined && options.port !== 0);
}

/** Whether a test runs against a fleet (two nodes) rather than one server. */
export function isFleet(server: RtmServer): server is FleetServer {
  return 'nodes' in server;
}

/**
 * Media live in the fleet's Redis. A test that names a directory looks into it (which uploads
 * are left on disk), so its two nodes share one storage on that directory, as one process can;
 * separate nodes cannot share a directory.
 */
function fleetMediaStorage(options: ServerOptions): MediaStorage | undefined {
  if (options.mediaStorage !== undefined || options.mediaDir === undefined) return options.mediaStorage;
  const storage = new DiskMediaStorage(resolve(options.mediaDir));
  let starting: Promise<void> | null = null;
  let open = 0;
  // Prepared once, closed with the last node.
  return new Proxy(storage, {
    get(target, property) {
      if (property === 'init') {
        return () => {
          open++;
          starting ??= target.init();
          return starting;
        };
      }
      if (property === 'close') return async () => (--open === 0 ? target.close() : undefined);
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
