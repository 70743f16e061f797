// `npm run dev`: the rtm-kit server and Vite's dev server for the demo, in one process. Open the
// URL Vite prints; it proxies socket.io and /media to the rtm-kit server. Ctrl-C stops both.
import { fileURLToPath } from 'node:url';
import { startServer } from '@rtm-kit/server';
import { createServer } from 'vite';

const rtm = await startServer({ port: Number(process.env['PORT'] ?? 8080) });
// Read by demo/vite.config.ts for its proxy.
process.env['RTM_SERVER_URL'] = rtm.url;
const vite = await createServer({ configFile: fileURLToPath(new URL('vite.config.ts', import.meta.url)) });
await vite.listen();
vite.printUrls();

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await vite.close();
  await rtm.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
