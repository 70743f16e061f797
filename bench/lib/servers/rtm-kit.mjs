/**
 * rtm-kit's server as users run it: the built `@rtm-kit/server`, one app with a certificate (so
 * every login carries an AccessToken2 token), default limits and timings, the memory store.
 * Started by the run script as its own process.
 */
import { startServer } from '@rtm-kit/server';
import { APP_CERTIFICATE, APP_ID } from '../config.mjs';
import { serveControl } from './control.mjs';

const server = await startServer({
  port: 0,
  host: '127.0.0.1',
  apps: [{ appId: APP_ID, appCertificate: APP_CERTIFICATE }],
  // Warnings and errors would mean the run measured something else than intended: show them.
  logger: {
    info() {},
    warn: (message, detail) => console.error(`[rtm-kit] ${message}`, ...(detail === undefined ? [] : [detail])),
    error: (message, detail) => console.error(`[rtm-kit] ${message}`, ...(detail === undefined ? [] : [detail])),
  },
});

serveControl({ url: server.url, close: () => server.close() });
