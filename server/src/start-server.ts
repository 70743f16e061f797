import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { Limits, Timing } from '@rtm-kit/protocol';
import { accessToken2Verifier } from './auth/access-token2.js';
import { resolveAbuseLimits, type AbuseOptions } from './binding/abuse-limits.js';
import { ConnectionGuard } from './binding/connection-guard.js';
import { bindSocketIo } from './binding/socketio.js';
import type { Logger } from './binding/requests.js';
import { SocketIoRouter } from './binding/socket-router.js';
import type { TypedServer } from './binding/types.js';
import type { AppConfig } from './core/auth.js';
import { systemClock, type Clock } from './core/clock.js';
import { createCore, type Core } from './core/core.js';
import { nodeMediaOptions, startMedia, type MediaStorage } from './media/index.js';
import { requestPath } from './http/request-path.js';
import { serveStaticFiles, type StaticFilesHandler } from './http/static-files.js';
import type { Store } from './core/store.js';
import { RedisFleetMember, type RedisStoreOption } from './cluster/fleet.js';
import { MemoryStore } from './stores/memory/index.js';
import { banCheck, MemoryBanStore, type BanStore } from './ops/admin/bans.js';
import { adminContext } from './ops/admin/context.js';
import { drain, type DrainOptions } from './ops/health/drain.js';
import { Readiness } from './ops/health/readiness.js';
import { logConnections } from './ops/logging/connection-log.js';
import { createServerLogger } from './ops/logging/server-logger.js';
import { countingRouter } from './ops/metrics/router-counting.js';
import { ServerMetrics } from './ops/metrics/server-metrics.js';
import { observeSockets } from './ops/metrics/socket-observer.js';
import { timedStore } from './ops/metrics/store-timing.js';
import { opsHttp } from './ops/ops-http.js';
import { randomId } from './core/secrets.js';

export interface ServerOptions {
  /** TCP port; 0 picks any free port. Default 8080. */
  port?: number;
  /** Interface to listen on. Default `127.0.0.1`; use `0.0.0.0` to accept remote clients. */
  host?: string;
  /**
   * Apps allowed to log in. An app with `appCertificate` requires AccessToken2 tokens made with
   * it. Without this option the server runs in development mode: any well-formed App ID logs in
   * without a token.
   */
  apps?: Array<{ appId: string; appCertificate?: string }>;
  /** Override any duration of the spec (defaults in `DEFAULT_TIMING`). */
  timing?: Partial<Timing>;
  /** Override any limit of the spec (defaults in `DEFAULT_LIMITS`). */
  limits?: Partial<Limits>;
  /**
   * Where state lives: `'memory'` (default: this process only), `{ redis: 'redis://…' }` (a
   * fleet: any number of nodes share state, deadlines and delivery through one Redis; see the
   * server README, "Running many nodes"), or a `Store` implementation.
   */
  store?: 'memory' | Store | { redis: RedisStoreOption };
  /** Time source for every server rule; tests pass a manual clock. */
  clock?: Clock;
  /**
   * Where the server logs; `false` for silence. Default: JSON lines on stdout (pino) at
   * `LOG_LEVEL` (default `info`), secrets redacted; pretty-printed on a terminal in development.
   */
  logger?: Logger | false;
  /**
   * Origins allowed for browser clients; default: any (`true`). Applies to CORS and to the
   * handshake of every new socket.io connection, WebSocket or polling: a browser connecting from
   * another origin gets a 403. Requests without an `Origin` header (Node, native apps) are not
   * affected, and the server's own origin (a `staticDir` app) is always allowed. `false` allows no
   * other origin. A deployment should list the origins of its web apps, exactly as browsers send
   * them: `{ origin: ['https://app.example.com'] }`.
   */
  cors?: { origin: string | string[] | boolean };
  /**
   * Limits against hostile clients (not in the spec; clients never see them): login handshakes
   * per connection and per address, new and open connections per address, connections per user,
   * and where a client's address comes from behind a proxy. Defaults: `DEFAULT_ABUSE_LIMITS`;
   * see the server README, "Security and limits".
   */
  abuse?: AbuseOptions;
  /**
   * Directory for uploaded files and images (created on start; kept across restarts). Default: a
   * private directory under the OS temp dir, deleted on `close()`; in a fleet (`store: { redis }`),
   * the fleet's Redis. A directory belongs to one node: nodes do not share one.
   */
  mediaDir?: string;
  /** Keep media in this storage instead of a directory (e.g. one every node of a fleet shares). */
  mediaStorage?: MediaStorage;
  /**
   * Serve a web app (such as the built demo) from this directory on the same port: GET and HEAD
   * requests other than socket.io, `/media/...` and `/healthz` get its files, and `index.html`
   * for unknown paths without a file extension. Nothing outside the directory is served. Default:
   * none (every other path is a 404).
   */
  staticDir?: string;
  /**
   * The admin HTTP API under `/admin/v1` (send messages as the server, kick and ban, online
   * status, members, attributes, sessions), authenticated by `Authorization: Bearer <token>`
   * (at least 16 characters). Off without it. `bans` is where bans are kept; default: the
   * fleet's Redis with `store: { redis }`, else this process. See the server README, "Operations".
   */
  admin?: { token: string; bans?: BanStore };
  /** Prometheus metrics at `GET /metrics` (`rtm_…` series). Default off. */
  metrics?: boolean;
  /** The longest `drain()` takes before the server closes regardless, in ms. Default 10 000. */
  drainTimeoutMs?: number;
}

export interface RtmServer {
  /** `http://host:port`, ready to pass as a client's `serverUrl`. */
  readonly url: string;
  readonly port: number;
  /** The transport-free core, for operators' tooling and tests. */
  readonly core: Core;
  /**
   * Stop accepting connections, disconnect every client and release the store. The sessions of
   * this server's clients end (in a fleet too: use `drain()` to hand them to the other nodes).
   */
  close(): Promise<void>;
  /**
   * Take this node out of service for a restart or a rolling deploy: `/readyz` answers 503, new
   * connections are refused, every client's connection is closed so that it reconnects (to
   * another node behind the load balancer; its session survives there with a shared store), then
   * `close()`. Resolves within `drainTimeoutMs`.
   */
  drain(options?: DrainOptions): Promise<void>;
}

const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** Control messages are at most 32 KB of text; JSON escaping can grow that several times. */
const MAX_PACKET_BYTES = 256 * 1024;

/**
 * Starts an rtm-kit server: socket.io on one HTTP port, the core behind it, and optionally a
 * web app's files (`staticDir`).
 *
 * @example
 * const server = await startServer({ port: 0 });
 * const client = AgoraRTM.createInstance(appId, { serverUrl: server.url });
 */
export async function startServer(options: ServerOptions = {}): Promise<RtmServer> {
  const log = options.logger === false ? silentLogger : (options.logger ?? createServerLogger({ secrets: () => secretsOf(options) }));
  // First, so a wrong directory fails before anything is started.
  const staticFiles = options.staticDir === undefined ? null : await serveStaticFiles(options.staticDir, { log });
  const clock = options.clock ?? systemClock;
  const coreLog = (level: 'warn' | 'error', message: string, detail?: unknown) => log[level](message, detail);
  const fleet = isRedisOption(options.store) ? new RedisFleetMember(options.store.redis, clock, coreLog, options.timing) : null;
  if (fleet) {
    try {
      await fleet.ready();
    } catch (error) {
      await fleet.close();
      throw new Error(`Redis did not answer: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (options.mediaDir !== undefined && options.mediaStorage === undefined) {
      log.warn('media: mediaDir keeps files on this node only; in a fleet, leave it out to keep media in Redis');
    }
  }
  const store: Store = fleet ? fleet.store : options.store === undefined || options.store === 'memory' ? new MemoryStore() : (options.store as Store);
  const router = new SocketIoRouter();
  const apps: AppConfig[] | undefined = options.apps?.map(({ appId, appCertificate }) =>
    appCertificate === undefined || appCertificate === '' ? { appId } : { appId, appCertificate },
  );
  // Metrics observe from outside: a timed store, a counting router, a socket middleware.
  const metrics = options.metrics ? new ServerMetrics({ connections: () => io.engine.clientsCount }) : null;
  const core = createCore({
    store: metrics ? timedStore(store, storeKind(store), metrics) : store,
    router: metrics ? countingRouter(router, () => io, metrics) : router,
    clock,
    tokens: accessToken2Verifier,
    apps,
    limits: options.limits,
    timing: options.timing,
    newId: randomId,
    log: coreLog,
    scheduler: fleet?.scheduler,
    // A fleet without a directory or storage of its own keeps media in its Redis.
    media: await nodeMediaOptions({ dir: options.mediaDir, storage: options.mediaStorage, redis: fleet?.store }),
  });

  // Given media options, the core always has its media service.
  const media = await startMedia(core.media!, { cors: options.cors, log });
  const readiness = new Readiness(store);
  const bans = options.admin ? (options.admin.bans ?? fleet?.bans ?? new MemoryBanStore()) : null;
  if (bans) core.sessions.addLoginCheck(banCheck(bans, () => clock.now()));
  const ops = opsHttp({
    readiness,
    metrics,
    log,
    admin: options.admin && bans ? { token: options.admin.token, context: adminContext(core, bans, adminObserver(metrics)) } : null,
  });
  const httpServer = createServer((req, res) => {
    // Total: whatever a request holds, it is answered and the process goes on serving.
    try {
      if (!ops(req, res) && !media.handle(req, res)) handleHttp(req, res, staticFiles);
    } catch (error) {
      log.error(`http ${req.method ?? ''} request failed`, error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error');
    }
  });
  // A request line or header block node cannot parse: answer 400 and close, never throw.
  httpServer.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (socket.writable && (error.code !== 'ECONNRESET')) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  const guard = new ConnectionGuard({
    limits: resolveAbuseLimits(options.abuse),
    origins: options.cors?.origin ?? true,
    clientAddress: options.abuse?.clientAddress,
    now: () => clock.now(),
    log,
  });
  const io: TypedServer = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: MAX_PACKET_BYTES,
    // A silent connection is noticed within 6 s (ping every 2.5 s, 3.5 s to answer), the
    // threshold after which the spec reports a peer UNREACHABLE (§7.3, §9.1).
    pingInterval: 2_500,
    pingTimeout: 3_500,
    cors: { origin: options.cors?.origin ?? true },
    // CORS does not reach WebSockets: the guard checks Origin, and the per-address limits, at the
    // handshake of every new connection whatever its transport.
    allowRequest: (req, callback) => (readiness.draining ? callback('draining', false) : guard.allowRequest(req, callback)),
    // A fleet's nodes reach each other's connections through Redis.
    ...(fleet ? { adapter: fleet.adapter } : {}),
  });
  router.attach(io, (message, error) => log.error(message, error));
  // Before the binding's own 'connection' listener, so no request goes unobserved.
  if (metrics) observeSockets(io, metrics);
  logConnections(io, log);
  bindSocketIo(io, core, log, { guard, ...(fleet ? { connections: fleet.connections } : {}) });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 8080, options.host ?? '127.0.0.1', () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  fleet?.start(core);
  const address = httpServer.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;
  if (core.apps.developmentMode) {
    log.warn('development mode: no apps configured, so any App ID logs in without a token');
  }

  let closing: Promise<void> | null = null;
  let draining: Promise<void> | null = null;
  const server: RtmServer = {
    url,
    port: address.port,
    core,
    drain(drainOptions = {}) {
      draining ??= drain(io, readiness, () => server.close(), { timeoutMs: drainOptions.timeoutMs ?? options.drainTimeoutMs });
      return draining;
    },
    close() {
      closing ??= (async () => {
        // A node closed (rather than drained) takes its sessions with it, as a single server does.
        if (fleet) await fleet.endHeldSessions(core);
        core.dispose();
        await new Promise<void>((resolve) => {
          io.close(() => resolve());
          // A media download that just finished can keep its connection counted as busy until
          // the keep-alive timeout (5 s); close means every client goes now.
          httpServer.closeAllConnections();
        });
        await media.service.dispose();
        metrics?.registry.clear();
        if (fleet) await fleet.close();
        else await store.close();
      })();
      return closing;
    },
  };
  return server;
}

function isRedisOption(store: ServerOptions['store']): store is { redis: RedisStoreOption } {
  return typeof store === 'object' && store !== null && 'redis' in store;
}

/** What the default logger masks wherever it appears: app certificates and the admin token. */
function secretsOf(options: ServerOptions): string[] {
  const certificates = (options.apps ?? []).flatMap((app) => (app.appCertificate ? [app.appCertificate] : []));
  return options.admin ? [...certificates, options.admin.token] : certificates;
}

/** The `store` label of store metrics. */
function storeKind(store: Store): string {
  if (store instanceof MemoryStore) return 'memory';
  return /redis/i.test(store.constructor.name) ? 'redis' : 'custom';
}

function adminObserver(metrics: ServerMetrics | null) {
  return metrics ? { message: (kind: 'peer' | 'channel', outcome: string) => metrics.messages.inc({ kind, outcome, source: 'admin' }) } : {};
}

function handleHttp(req: IncomingMessage, res: ServerResponse, staticFiles: StaticFilesHandler | null): void {
  // socket.io answers its own path before this handler runs.
  if (requestPath(req.url) === null) {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request');
    return;
  }
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    return;
  }
  if (staticFiles !== null) {
    staticFiles(req, res);
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
}
