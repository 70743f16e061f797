import { defaultClientConditions, mergeConfig } from 'vite';
import type { StorybookConfig } from '@storybook/react-vite';

/**
 * Storybook for @rtm-kit/ui and @rtm-kit/react. Every story is live: it runs the real rtm-kit
 * server core in the page (`@rtm-kit/server/in-process`) with simulated peers, so the static build
 * works from any file server with no rtm-kit server running.
 */
const config: StorybookConfig = {
  stories: ['../src/**/*.mdx', '../src/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y', '@storybook/addon-vitest'],
  framework: { name: '@storybook/react-vite', options: {} },
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  typescript: { reactDocgen: false },
  // The workspace packages resolve to their TypeScript sources (the "source" export condition), as
  // in the tests: stories never show a stale build and need no `npm run build` first.
  viteFinal: (vite) =>
    mergeConfig(vite, {
      resolve: { conditions: ['source', ...defaultClientConditions] },
      build: {
        chunkSizeWarningLimit: 2_000,
        rollupOptions: {
          onwarn(warning: { code?: string }, warn: (w: unknown) => void) {
            // The packages mark their React modules 'use client'; a browser bundle drops it.
            if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
            warn(warning);
          },
        },
      },
    }),
};

export default config;
