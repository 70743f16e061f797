import type { Limits, Timing } from '@rtm-kit/protocol';
import { resolveAbuseLimits } from '../../binding/abuse-limits.js';
import { ConnectionGuard } from '../../binding/connection-guard.js';
import type { Logger } from '../../binding/requests.js';
import { SocketIoRouter } from '../../binding/socket-router.js';
import { bindSocketIo } from '../../binding/socketio.js';
import type { TypedServer } from '../../binding/types.js';
import type { AppConfig, TokenVerifier } from '../../core/auth.js';
import { systemClock, type Clock } from '../../core/clock.js';
import { createCore, type Core } from '../../core/core.js';
import type { MediaStorage } from '../../core/media/media-storage.js';
import type { Store } from '../../core/store.js';
import { MemoryStore } from '../../stores/memory/index.js';
import { InProcessSocket, type InProcessNetwork, type InProcessTransportOptions } from './client-socket.js';
import { Link } from './link.js';
import { createMediaFetch, type FetchFunction } from './media-fetch.js';
import { MemoryIoServer } from './memory-io.js';
import { MemoryMediaStorage } from './memory-media-storage.js';
import { Wire } from './wire.js';
import { randomId } from '../../core/secrets.js';

export interface InProcessServerOptions {
  /**
   * Apps allowed to log in. Without this option the server runs in development mode: any
   * well-formed App ID logs in without a token. An app with `appCertificate` needs `tokens`.
   */
  readonly apps?: ReadonlyArray<{ readonly appId: string; readonly appCertificate?: string }> | undefined;
  /**
   * Checks the tokens of apps with a certificate. The Node server's AccessToken2 check needs
   * Node, so none is built in: pass `accessToken2Verifier` from `@rtm-kit/server` in Node tests,
   * or your own.
   */
  readonly tokens?: TokenVerifier | undefined;
  /** Override any duration of the spec (defaults in `DEFAULT_TIMING`). */
  readonly timing?: Partial<Timing> | undefined;
  /** Override any limit of the spec (defaults in `DEFAULT_LIMITS`). */
  readonly limits?: Partial<Limits> | undefined;
  /** Where state lives; default a new `MemoryStore`. */
  readonly store?: Store | undefined;
  /** Time source for every server rule (e.g. `createManualClock()`); default the system clock. */
  readonly clock?: Clock | undefined;
  /** Where uploaded files live; default in memory (`MemoryMediaStorage`). */
  readonly mediaStorage?: MediaStorage | undefined;
  /** Delay of every packet each way, in ms, to see "sending" states; default 0 (next task). */
  readonly latencyMs?: number | undefined;
  /** Media uploads and downloads move at most this fast, to see their progress; default no limit. */
  readonly mediaBytesPerSecond?: number | undefined;
  /** Where the server logs; `false` for silence. Default: warnings and errors on the console. */
  readonly logger?: Logger | false | undefined;
}

/** The client's `transport` option, for `AgoraRTM.createInstance(appId, { transport })`. */
export type InProcessTransport = (options: InProcessTransportOptions) => InProcessSocket;

export interface InProcessServer {
  /** The server's semantics, running here: sessions, channels, presence, invitations, media. */
  readonly core: Core;
  /** A transport for `@rtm-kit/client` that connects to this server without a network. */
  readonly transport: InProcessTransport;
  /**
   * Everything `AgoraRTM.createInstance` needs to use this server: `{ serverUrl, transport }`.
   * Media requests go through the transport too; `serverUrl` names no real host.
   */
  readonly clientConfig: { readonly serverUrl: string; readonly transport: InProcessTransport };
  /** The media endpoints as a `fetch` function (what the clients' uploads and downloads call). */
  readonly fetch: FetchFunction;
  /** Cut the connections of `uid` (all users without one) as a network failure would; the clients reconnect. */
  drop(uid?: string): void;
  /** Cut the connections of `uid` and refuse new ones until `goOnline(uid)`: the user's network is down. */
  goOffline(uid: string): void;
  goOnline(uid: string): void;
  /** Open connections (logged in or not). */
  connections(): number;
  /** Disconnect every client (they see the server go away) and release the store and media. */
  close(): Promise<void>;
}

/** A host name that never resolves: nothing the in-process clients do reaches a network. */
export const IN_PROCESS_SERVER_URL = 'http://in-process.rtm-kit.invalid';

const consoleLogger: Logger = {
  info() {},
  warn: (message, detail) => console.warn(`[rtm-kit in-process] ${message}`, ...(detail === undefined ? [] : [detail])),
  error: (message, detail) => console.error(`[rtm-kit in-process] ${message}`, ...(detail === undefined ? [] : [detail])),
};

const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** Abuse limits count handshakes and connections per address; in one process there is one address. */
const UNLIMITED = { count: Infinity, windowMs: 1_000 };

/**
 * Runs an rtm-kit server inside this process, a browser tab included: the real core
 * (`createCore`, the memory store, media in memory) behind the real socket.io binding, which here
 * talks to an in-memory socket.io instead of a network. Every request is validated, acknowledged
 * and mapped to the spec's error codes by the same code as in the Node server, and every payload
 * is copied as socket.io would encode it. Clients connect through `clientConfig`:
 *
 * @example
 * const server = await createInProcessServer();
 * const alice = AgoraRTM.createInstance(APP_ID, server.clientConfig);
 * await alice.login({ uid: 'alice' });
 * // …
 * await server.close();
 */
export async function createInProcessServer(options: InProcessServerOptions = {}): Promise<InProcessServer> {
  const log = options.logger === false ? silentLogger : (options.logger ?? consoleLogger);
  const apps: AppConfig[] | undefined = options.apps?.map(({ appId, appCertificate }) =>
    appCertificate === undefined || appCertificate === '' ? { appId } : { appId, appCertificate },
  );
  if (apps?.some((app) => app.appCertificate !== undefined) && options.tokens === undefined) {
    throw new TypeError('An app with an appCertificate needs `tokens` to check its tokens (e.g. accessToken2Verifier from @rtm-kit/server in Node).');
  }
  const store = options.store ?? new MemoryStore();
  const clock = options.clock ?? systemClock;
  const router = new SocketIoRouter();
  const core = createCore({
    store,
    router,
    clock,
    tokens: options.tokens ?? refuseTokens,
    apps,
    limits: options.limits,
    timing: options.timing,
    newId: randomId,
    log: (level, message, detail) => log[level](message, detail),
    media: { storage: options.mediaStorage ?? new MemoryMediaStorage() },
  });
  // Given a storage, the core has its media service.
  const media = core.media!;
  await media.start();

  const wire = new Wire(options.latencyMs ?? 0);
  const io = new MemoryIoServer();
  const guard = new ConnectionGuard({
    limits: resolveAbuseLimits({
      handshakesPerConnection: UNLIMITED,
      handshakesPerAddress: UNLIMITED,
      connectionsPerAddress: UNLIMITED,
      maxConnectionsPerAddress: Infinity,
    }),
    origins: true,
    now: () => clock.now(),
    log,
  });
  router.attach(io as unknown as TypedServer, (message, error) => log.error(message, error));
  bindSocketIo(io as unknown as TypedServer, core, log, { guard });

  let closed = false;
  const links = new Map<Link, string>();
  const offline = new Set<string>();
  const fetch = createMediaFetch(() => (closed ? null : media), (message, error) => log.error(message, error), options.mediaBytesPerSecond);

  const network: InProcessNetwork = {
    open(socket, uid) {
      // What a client sees when it cannot reach a server: a transport error, and it retries.
      if (closed || offline.has(uid)) return new Error('websocket error');
      const link = new Link(wire, socket, 'in-process');
      let allowed = false;
      guard.allowRequest(link.request as unknown as Parameters<ConnectionGuard['allowRequest']>[0], (_error, success) => {
        allowed = success;
      });
      if (!allowed || !io.accept(link)) return new Error('websocket error');
      links.set(link, uid);
      link.once('close', () => links.delete(link));
      return link;
    },
    fetch,
    later: (task) => wire.send(task),
  };

  const cut = (uid?: string) => {
    for (const [link, owner] of [...links]) if (uid === undefined || owner === uid) link.cut();
  };

  const transport: InProcessTransport = (transportOptions) => new InProcessSocket(network, transportOptions);
  let closing: Promise<void> | null = null;
  return {
    core,
    transport,
    clientConfig: { serverUrl: IN_PROCESS_SERVER_URL, transport },
    fetch,
    drop: cut,
    goOffline(uid) {
      offline.add(uid);
      cut(uid);
    },
    goOnline(uid) {
      offline.delete(uid);
    },
    connections: () => links.size,
    close() {
      closing ??= (async () => {
        core.dispose();
        io.close();
        closed = true;
        // Let the clients hear that the server went away before the wire stops.
        await new Promise<void>((resolve) => wire.send(resolve));
        wire.close();
        await media.dispose();
        await store.close();
      })();
      return closing;
    },
  };
}

/** Used only for apps with a certificate, which need a real `tokens` option. */
const refuseTokens: TokenVerifier = {
  verify: () => ({ ok: false, reason: 'invalid', message: 'This server checks no tokens.' }),
};
