#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startServer } from './start-server.js';

const HELP = `rtm-server: the rtm-kit realtime messaging server

Usage: rtm-server [--port N] [--host ADDR] [--apps appId[:certificate],...] [--media-dir DIR]
                  [--static DIR]

  --port   TCP port (env PORT, default 8080)
  --host   interface to listen on (env HOST, default 127.0.0.1)
  --apps   apps allowed to log in, each "appId" or "appId:certificate" (env RTM_APPS);
           without it any App ID logs in without a token (development mode)
  --media-dir  where uploaded files and images are kept (env RTM_MEDIA_DIR); default a
           temporary directory removed when the server stops
  --static  serve a web app's files from DIR on the same port, index.html for unknown
           paths (env RTM_STATIC_DIR); \`npm start\` serves the demo this way
`;

function parseApps(spec: string | undefined): Array<{ appId: string; appCertificate?: string }> | undefined {
  if (spec === undefined || spec.trim() === '') return undefined;
  return spec
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const [appId = '', appCertificate] = entry.split(':');
      return appCertificate ? { appId, appCertificate } : { appId };
    });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      apps: { type: 'string' },
      'media-dir': { type: 'string' },
      static: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const port = Number(values.port ?? process.env['PORT'] ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`invalid port: ${values.port ?? process.env['PORT']}`);
  const mediaDir = values['media-dir'] ?? process.env['RTM_MEDIA_DIR'];
  const staticDir = values.static ?? process.env['RTM_STATIC_DIR'];
  const apps = parseApps(values.apps ?? process.env['RTM_APPS']);
  const server = await startServer({
    port,
    host: values.host ?? process.env['HOST'] ?? '127.0.0.1',
    ...(apps ? { apps } : {}),
    ...(mediaDir ? { mediaDir } : {}),
    ...(staticDir ? { staticDir } : {}),
  });
  console.log(`[rtm-kit] listening on ${server.url}`);
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`[rtm-kit] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
