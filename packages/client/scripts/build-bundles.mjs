// Builds the two bundles a 1.x app may load instead of the ES modules that tsc emits:
//   dist/agora-rtm.umd.js  a minified UMD/IIFE for <script>: sets window.AgoraRTM; everything
//                          inside (the WebSocket-only socket.io client), with a source map;
//   dist/index.cjs         CommonJS for require() and bundlers that read "main" (webpack 4);
//                          its runtime dependencies stay require()s.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'src/bundle-entry.ts');
const common = { configFile: false, logLevel: 'warn', root };

await build({
  ...common,
  // Browsers have no process.env; socket.io's debug hooks read it.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  // As package.json's "browser" field does for bundlers: the WebSocket-only socket.io client.
  resolve: { alias: [{ find: /^\.\/transport\.js$/, replacement: join(root, 'src/transport.browser.ts') }] },
  build: {
    outDir: join(root, 'dist'),
    emptyOutDir: false,
    sourcemap: true,
    minify: 'esbuild',
    target: 'es2019',
    lib: { entry, name: 'AgoraRTM', formats: ['umd'], fileName: () => 'agora-rtm.umd.js' },
    rollupOptions: { output: { exports: 'default' } },
  },
});

await build({
  ...common,
  build: {
    outDir: join(root, 'dist'),
    emptyOutDir: false,
    sourcemap: true,
    minify: false,
    target: 'node20',
    ssr: true,
    lib: { entry, formats: ['cjs'], fileName: () => 'index.cjs' },
    rollupOptions: {
      external: ['socket.io-client'],
      output: { exports: 'default', entryFileNames: 'index.cjs' },
    },
  },
});
