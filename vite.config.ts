import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import { playwright } from '@vitest/browser-playwright';
import { defaultClientConditions, defaultServerConditions } from 'vite';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Server test files that start servers and drive them with clients: run a second time on a fleet. */
const FLEET_SERVER_TESTS = ['server/test/*-edge.test.ts', 'server/test/hardening/*.test.ts', 'server/test/media-*.test.ts', 'server/test/ops/admin-api.test.ts'];

/**
 * Tests that are about one process and stay out of the fleet run, each for a reason: a manual
 * clock (deadlines on a fleet wait in Redis and fire on the system clock), or what they inspect
 * is one node's own (its memory, its sockets, its files).
 */
const SINGLE_NODE_TESTS = [
  // Limits per address and per connection are each node's own (a load balancer spreads one
  // address over the nodes); counting them across a fleet is not what they are for.
  'server/test/hardening/handshake-abuse.test.ts',
  // A node's default media directory; a fleet keeps media in Redis.
  'server/test/hardening/media-dir.test.ts',
  // A node's own origin (its staticDir app): two nodes on two ports are two origins.
  'server/test/hardening/origin.test.ts',
];

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Whether something answers on the Redis URL's port (the fleet runs need a Redis server). */
function redisReachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port || 6379), hostname || '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

const withRedis = await redisReachable(REDIS_URL);
if (!withRedis) {
  console.warn(
    `\n[rtm-kit] No Redis at ${REDIS_URL}: the Redis store tests and the fleet runs (server-fleet, client-fleet) are skipped.\n` +
      '          Start one (redis-server) or set REDIS_URL, then run npm test again to include them.\n',
  );
}

/** `@rtm-kit/server` for the fleet runs: two nodes sharing Redis, users alternating between them. */
const twoNodes = { alias: [{ find: /^@rtm-kit\/server$/, replacement: fileURLToPath(new URL('./test/fleet/two-nodes.ts', import.meta.url)) }] };

/** The server's and the client's integration suites again, each server two nodes sharing Redis. */
const FLEET_PROJECTS = [
  {
    extends: true as const,
    resolve: twoNodes,
    test: { name: 'server-fleet', include: FLEET_SERVER_TESTS, exclude: SINGLE_NODE_TESTS, environment: 'node' as const },
  },
  {
    extends: true as const,
    resolve: twoNodes,
    test: { name: 'client-fleet', include: ['packages/client/test/**/*.test.ts'], exclude: SINGLE_NODE_TESTS, environment: 'node' as const },
  },
];

// Workspace packages resolve to their TypeScript sources in tests (the "source" export
// condition), so tests never run against stale builds. A separate test imports the built
// packages with plain Node, as users do.
export default defineConfig({
  resolve: { conditions: ['source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions] } },
  test: {
    reporters: ['default'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: { name: 'protocol', include: ['packages/protocol/test/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        test: { name: 'server', include: ['server/test/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        test: { name: 'client', include: ['packages/client/test/**/*.test.ts'], environment: 'node' },
      },
      ...(withRedis ? FLEET_PROJECTS : []),
      {
        extends: true,
        test: { name: 'store', include: ['packages/store/test/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        // A DOM for @testing-library/react; server-rendering tests opt back into `node`.
        test: { name: 'react', include: ['packages/react/test/**/*.test.{ts,tsx}'], environment: 'happy-dom' },
      },
      {
        extends: true,
        // @rtm-kit/ui components in a DOM, against the real server.
        test: { name: 'ui', include: ['packages/ui/test/**/*.test.{ts,tsx}'], environment: 'happy-dom' },
      },
      {
        extends: true,
        // Headless Chromium (Debian's, or RTM_CHROMIUM) against the real server.
        test: { name: 'browser', include: ['e2e/**/*.test.ts'], environment: 'node', testTimeout: 60_000 },
      },
      {
        extends: true,
        test: { name: 'packaging', include: ['test/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        // Every story in storybook/ as a test in headless Chromium: render, play, then axe.
        plugins: [storybookTest({ configDir: 'storybook/.storybook' })],
        test: {
          name: 'storybook',
          // Docs pages hold no story to run; listing them would count as a skipped file.
          exclude: ['**/*.mdx', '**/node_modules/**'],
          testTimeout: 60_000,
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({
              launchOptions: {
                executablePath: process.env['RTM_CHROMIUM'] ?? '/usr/bin/chromium',
                args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
              },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
