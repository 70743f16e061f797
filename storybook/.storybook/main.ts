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
          onwarn(warning: { code?: string; message?: string }, warn: (w: unknown) => void) {
            // The packages mark their React modules 'use client'; a browser bundle drops it (and
            // Rollup, reporting that, cannot map the directive back through the source map).
            if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
            if (warning.code === 'SOURCEMAP_ERROR' && warning.message?.includes("Can't resolve original location of error")) return;
            // A dependency's (zod's) comments that Rollup cannot use as annotations: nothing to act on.
            if (warning.code === 'INVALID_ANNOTATION' && warning.message?.includes('node_modules')) return;
            warn(warning);
          },
        },
      },
    }),
};

export default config;
