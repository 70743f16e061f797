#!/usr/bin/env node
import type { IncomingMessage } from 'node:http';
import { parseArgs } from 'node:util';
import { DEFAULT_DRAIN_TIMEOUT_MS } from './ops/health/drain.js';
import { createServerLogger } from './ops/logging/server-logger.js';
import { startServer, type RtmServer } from './start-server.js';

const HELP = `rtm-server: the rtm-kit realtime messaging server

Usage: rtm-server [--port N] [--host ADDR] [--apps appId[:certificate],...] [--media-dir DIR]
                  [--static DIR] [--origins URL,...] [--client-address-header NAME] [--metrics]
                  [--redis URL] [--redis-prefix PREFIX] [--node-timeout MS]

  --port   TCP port (env PORT, default 8080)
  --host   interface to listen on (env HOST, default 127.0.0.1)
  --apps   apps allowed to log in, each "appId" or "appId:certificate" (env RTM_APPS);
           without it any App ID logs in without a token (development mode)
  --media-dir  where uploaded files and images are kept (env RTM_MEDIA_DIR); default a
           temporary directory removed when the server stops
  --static  serve a web app's files from DIR on the same port, index.html for unknown
           paths (env RTM_STATIC_DIR); \`npm start\` serves the demo this way
  --origins  origins allowed for browser clients, e.g. https://app.example.com (env
           RTM_ORIGINS); checked for CORS and on the WebSocket handshake; default any
  --client-address-header  behind a reverse proxy, the header it puts the client address
           in, e.g. x-forwarded-for (env RTM_CLIENT_ADDRESS_HEADER); its last entry counts
           for the per-address limits
  --redis  run as one node of a fleet sharing this Redis, e.g. redis://10.0.0.5:6379
           (env REDIS_URL); default: state in this process only
  --redis-prefix  what every Redis key starts with (env RTM_REDIS_PREFIX, default rtm:);
           fleets sharing one Redis use different prefixes
  --node-timeout  with --redis: a node silent this many ms is taken for dead and the
           others start the grace period of its connections (env RTM_NODE_TIMEOUT_MS,
           default 10000); the same on every node
  --metrics  serve Prometheus metrics at /metrics (env RTM_METRICS=1)

Environment only:
  RTM_ADMIN_TOKEN  turns on the admin API under /admin/v1 (Authorization: Bearer <token>,
           at least 16 characters); see /admin/v1/openapi.json
  LOG_LEVEL  trace, debug, info (default), warn, error or silent; logs are JSON lines
  RTM_DRAIN_TIMEOUT_MS  on SIGTERM the server drains (readyz 503, clients reconnect
           elsewhere) and exits within this bound (default 10000)
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

/**
 * The last line of defence, installed before anything starts. Nothing is meant to reach it: every
 * request, HTTP handler and timer of the server catches its own failures. What does reach it is a
 * defect, and the two kinds are handled differently on purpose:
 *
 * - An unhandled rejection is one operation whose promise chain lacked a `catch`. The throw that
 *   caused it unwound only that async function, whose shared state changes are store calls that
 *   are each atomic, so the rest of the server is as sound as after any failed request. Ending
 *   every user's session over it would be worse than the defect: log it and keep serving.
 * - An uncaught exception unwound a synchronous stack, through an event emitter or a timer, in the
 *   middle of whatever it was doing (a loop over a channel's members, two maps updated one after
 *   the other). State may be half-changed, and serving on would spread that. Log it, close the
 *   server so clients see a clean disconnect (and reconnect to its replacement), and exit with
 *   status 1 for the supervisor (systemd, Docker, Kubernetes) to restart it. With the in-memory
 *   store the sessions go with the process; clients log in again by themselves.
 *
 * Log lines carry the error's name, message and stack only, with anything that looks like a token
 * or a configured certificate masked: a rejected value may be a payload a client sent.
 */
function installSafetyNet(secrets: () => readonly string[], server: () => RtmServer | null): void {
  let rejections = 0;
  let windowStart = Date.now();
  process.on('unhandledRejection', (reason) => {
    // A defect that fires on every request must not turn into a flood of log lines.
    const now = Date.now();
    if (now - windowStart > 60_000) {
      if (rejections > REJECTIONS_LOGGED_PER_MINUTE) {
        console.error(`[rtm-kit] ${rejections - REJECTIONS_LOGGED_PER_MINUTE} more unhandled rejections were not logged`);
      }
      rejections = 0;
      windowStart = now;
    }
    if (++rejections > REJECTIONS_LOGGED_PER_MINUTE) return;
    console.error(`[rtm-kit] unhandled rejection (serving on): ${describeFailure(reason, secrets())}`);
  });

  let exiting = false;
  process.on('uncaughtException', (error) => {
    console.error(`[rtm-kit] uncaught exception, shutting down: ${describeFailure(error, secrets())}`);
    if (exiting) return;
    exiting = true;
    process.exitCode = 1;
    const running = server();
    // A close that hangs must not keep a broken process alive.
    setTimeout(() => process.exit(1), CLOSE_ON_CRASH_MS).unref();
    if (!running) process.exit(1);
    running.close().then(
      () => process.exit(1),
      () => process.exit(1),
    );
  });
}

const REJECTIONS_LOGGED_PER_MINUTE = 20;
const CLOSE_ON_CRASH_MS = 5_000;

/** Name, message and stack of a thrown value, with secrets masked; a non-error value by its type only. */
function describeFailure(value: unknown, secrets: readonly string[]): string {
  if (!(value instanceof Error)) return `a non-Error value (${value === null ? 'null' : typeof value})`;
  let text = value.stack ?? `${value.name}: ${value.message}`;
  for (const secret of secrets) if (secret.length >= 8) text = text.split(secret).join('***');
  return (
    text
      // AccessToken2 tokens ("007" + base64) and credentials in URLs.
      .replace(/007[A-Za-z0-9+/=]{16,}/g, '007***')
      .replace(/(\/\/)[^/@\s:]*:[^/@\s]*@/g, '$1***@')
      .slice(0, 4_000)
  );
}

function parseList(spec: string | undefined): string[] | undefined {
  const list = (spec ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  return list.length === 0 ? undefined : list;
}

/**
 * The client address behind a reverse proxy: the last entry of `header` (e.g. X-Forwarded-For),
 * the one the proxy in front of this server appended. Earlier entries come from the client and
 * prove nothing. Without the header, the socket's own address counts.
 */
function lastHeaderEntry(header: string): (request: IncomingMessage) => string | undefined {
  return (request) => {
    const value = request.headers[header];
    const raw = Array.isArray(value) ? value.at(-1) : value;
    const last = raw?.split(',').at(-1)?.trim();
    return last === undefined || last === '' ? undefined : last;
  };
}

async function main(): Promise<void> {
  let server: RtmServer | null = null;
  let secrets: string[] = [];
  installSafetyNet(
    () => secrets,
    () => server,
  );
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      apps: { type: 'string' },
      'media-dir': { type: 'string' },
      static: { type: 'string' },
      origins: { type: 'string' },
      'client-address-header': { type: 'string' },
      redis: { type: 'string' },
      'redis-prefix': { type: 'string' },
      'node-timeout': { type: 'string' },
      metrics: { type: 'boolean' },
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
  secrets = (apps ?? []).flatMap((app) => (app.appCertificate ? [app.appCertificate] : []));
  const adminToken = (process.env['RTM_ADMIN_TOKEN'] ?? '').trim();
  if (adminToken !== '') secrets.push(adminToken);
  const metrics = values.metrics === true || /^(1|true|yes|on)$/i.test(process.env['RTM_METRICS'] ?? '');
  const drainTimeoutMs = Number(process.env['RTM_DRAIN_TIMEOUT_MS'] ?? DEFAULT_DRAIN_TIMEOUT_MS);
  if (!Number.isInteger(drainTimeoutMs) || drainTimeoutMs < 0 || drainTimeoutMs > 600_000) {
    throw new Error(`invalid RTM_DRAIN_TIMEOUT_MS: ${process.env['RTM_DRAIN_TIMEOUT_MS']} (0 to 600000 ms)`);
  }
  const logger = createServerLogger({ secrets: () => secrets });
  const origins = parseList(values.origins ?? process.env['RTM_ORIGINS']);
  const addressHeader = (values['client-address-header'] ?? process.env['RTM_CLIENT_ADDRESS_HEADER'] ?? '').trim().toLowerCase();
  const redisUrl = (values.redis ?? process.env['REDIS_URL'] ?? '').trim();
  const redisPrefix = values['redis-prefix'] ?? process.env['RTM_REDIS_PREFIX'];
  const nodeTimeoutMs = Number(values['node-timeout'] ?? process.env['RTM_NODE_TIMEOUT_MS'] ?? 10_000);
  if (!Number.isInteger(nodeTimeoutMs) || nodeTimeoutMs < 250) throw new Error(`invalid node timeout (ms, at least 250): ${values['node-timeout'] ?? process.env['RTM_NODE_TIMEOUT_MS']}`);
  server = await startServer({
    port,
    host: values.host ?? process.env['HOST'] ?? '127.0.0.1',
    ...(apps ? { apps } : {}),
    ...(mediaDir ? { mediaDir } : {}),
    ...(staticDir ? { staticDir } : {}),
    ...(origins ? { cors: { origin: origins } } : {}),
    ...(addressHeader !== '' ? { abuse: { clientAddress: lastHeaderEntry(addressHeader) } } : {}),
    ...(adminToken !== '' ? { admin: { token: adminToken } } : {}),
    metrics,
    drainTimeoutMs,
    logger,
    ...(redisUrl !== '' ? { store: { redis: { url: redisUrl, nodeTimeoutMs, ...(redisPrefix ? { keyPrefix: redisPrefix } : {}) } } } : {}),
  });
  logger.fields('info', { url: server.url, pid: process.pid, admin: adminToken !== '', metrics }, `listening on ${server.url} (pid ${process.pid})`);
  const running = server;
  // Drain rather than close: clients reconnect to another node, where a shared store keeps their
  // sessions. Past the bound (a close that hangs) the process ends anyway.
  const stop = (signal: string) => {
    logger.info(`${signal}: draining (at most ${drainTimeoutMs} ms)`);
    setTimeout(() => process.exit(1), drainTimeoutMs + 2_000).unref();
    running.drain().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`[rtm-kit] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
