import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';

/** Where `npm run dev` runs the rtm-kit server that the dev server proxies to. */
const RTM_SERVER = process.env['RTM_SERVER_URL'] ?? 'http://127.0.0.1:8080';

// The demo app. `npm run build:demo` writes demo/dist, which `npm start` serves from the rtm-kit
// server's own port (`--static`), so the client's default server (the page origin) is right.
export default defineConfig(({ command }) => ({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  // JSX by Vite's built-in esbuild transform: no React plugin needed (no Fast Refresh in dev).
  // The dev runtime only for the dev server: Vite picks it from NODE_ENV otherwise, and a build
  // run with NODE_ENV=test (from Vitest) would call jsxDEV, which React's production build lacks.
  esbuild: { jsx: 'automatic', jsxDev: command === 'serve' },
  // The dev server reads the workspace packages' sources, so edits to them show at once; the
  // build uses their dist exports, as an app installed from npm would.
  ...(command === 'serve' ? { resolve: { conditions: ['source', ...defaultClientConditions] } } : {}),
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // One chunk on purpose (a demo, not a site): React, the client and the components together.
    chunkSizeWarningLimit: 700,
    rollupOptions: {
      onwarn(warning, warn) {
        // @rtm-kit/react marks its modules 'use client' for React Server Components bundlers;
        // a browser-only bundle drops the directive, which is what it should do.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/socket.io': { target: RTM_SERVER, ws: true },
      '/media': { target: RTM_SERVER },
    },
  },
}));
