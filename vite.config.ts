import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

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
    ],
  },
});
