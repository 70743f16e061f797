import { randomUUID } from 'node:crypto';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Server } from 'socket.io';
import { io as ioClient, type Socket } from 'socket.io-client';
import { RtmTokenBuilder } from 'agora-token';
import { accessToken2Verifier, MemoryStore, startServer, type RtmServer } from '@rtm-kit/server';
import { createCore, systemClock } from '@rtm-kit/server/core';
import { resolveAbuseLimits, type AbuseOptions } from '../../src/binding/abuse-limits.js';
import { addressKey } from '../../src/binding/client-address.js';
import { ConnectionGuard } from '../../src/binding/connection-guard.js';
import { SocketIoRouter } from '../../src/binding/socket-router.js';
import { bindSocketIo } from '../../src/binding/socketio.js';
import type { TypedServer, TypedSocket } from '../../src/binding/types.js';
import { openRaw, type RawConnection } from './handshake-raw-client.js';

const APP_ID = '0123456789abcdef0123456789abcdef';
const CERT = 'fedcba9876543210fedcba9876543210';
const silent = { info() {}, warn() {}, error() {} };
const auth = (uid: string, token: string | null = null) => ({ v: 1, appId: APP_ID, uid, token, sessionId: null });

/**
 * The server `startServer` builds, wired by hand so the test can look at socket.io's own state
 * (the listeners on each engine.io connection, the sockets waiting in the middleware).
 */
async function wiredServer(abuse: AbuseOptions) {
  const httpServer = createServer();
  const router = new SocketIoRouter();
  const core = createCore({
    store: new MemoryStore(),
    router,
    clock: systemClock,
    tokens: accessToken2Verifier,
    apps: [{ appId: APP_ID, appCertificate: CERT }],
    newId: randomUUID,
  });
  const guard = new ConnectionGuard({ limits: resolveAbuseLimits(abuse), origins: true, now: () => Date.now(), log: silent });
  const io = new Server(httpServer, { allowRequest: (req, cb) => guard.allowRequest(req, cb) }) as TypedServer;
  router.attach(io);
  bindSocketIo(io, core, silent, { guard });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    io,
    core,
    guard,
    /** The one engine.io connection the server holds. */
    onlyConnection() {
      // engine.io keeps its connections in a protected map; the test reads it to count listeners.
      const clients = Object.values((io.engine as unknown as { clients: Record<string, TypedSocket['conn']> }).clients);
      expect(clients).toHaveLength(1);
      return clients[0]!;
    },
    pendingSockets: () => (io.of('/') as unknown as { _preConnectSockets: Map<string, unknown> })._preConnectSockets.size,
    async close() {
      core.dispose();
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}

function readyOrRefused(socket: Socket): Promise<{ ready: boolean; code?: number }> {
  return new Promise((resolve) => {
    socket.once('session:ready', () => resolve({ ready: true }));
    socket.once('connect_error', (err: Error & { data?: { code: number } }) => resolve({ ready: false, ...(err.data ? { code: err.data.code } : {}) }));
  });
}

function pollingHandshake(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(`${url}/socket.io/?EIO=4&transport=polling`, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

describe('refused logins on one connection cost O(1) memory', () => {
  let server: Awaited<ReturnType<typeof wiredServer>> | null = null;
  const raws: RawConnection[] = [];
  afterEach(async () => {
    for (const r of raws.splice(0)) r.close();
    await server?.close();
    server = null;
  });

  it('keeps one close listener at most, however many logins the connection has refused', async () => {
    // Limits out of the way: this is about what each refused attempt leaves behind.
    const lots = { count: 1_000_000, windowMs: 60_000 };
    server = await wiredServer({ handshakesPerConnection: lots, handshakesPerAddress: lots });
    const raw = await openRaw(server.url);
    raws.push(raw);
    const conn = server.onlyConnection();
    const baseline = conn.listenerCount('close');

    const attempts = 1_000;
    // A token for another uid: the login runs all the way through token verification, then is refused.
    const mallorys = RtmTokenBuilder.buildToken(APP_ID, CERT, 'mallory', 600);
    let most = baseline;
    for (let i = 1; i <= attempts; i++) {
      raw.connect(auth('alice', i % 2 === 0 ? 'not-a-token' : mallorys));
      most = Math.max(most, conn.listenerCount('close'));
      await raw.until(() => raw.connectErrors().length === i, 2_000, `answer ${i}`);
      most = Math.max(most, conn.listenerCount('close'));
    }

    expect(raw.connectErrors().map((e) => e.code)).toEqual(Array(attempts).fill(5)); // LOGIN_ERR_INVALID_TOKEN
    expect(conn.listenerCount('close')).toBe(baseline);
    expect(most).toBeLessThanOrEqual(baseline + 1);
    expect(server.pendingSockets()).toBe(0);
    expect(conn.readyState).toBe('open');
    expect(await server.core.sessions.get(APP_ID, 'alice')).toBeNull();
  });

  it('keeps one close listener when the logins are pipelined without waiting', async () => {
    const lots = { count: 1_000_000, windowMs: 60_000 };
    server = await wiredServer({ handshakesPerConnection: lots, handshakesPerAddress: lots });
    const raw = await openRaw(server.url);
    raws.push(raw);
    const conn = server.onlyConnection();
    const baseline = conn.listenerCount('close');

    for (let i = 0; i < 1_000; i++) raw.connect(auth('alice', 'not-a-token'));
    await raw.until(() => raw.connectErrors().length === 1_000, 10_000, 'every answer');

    expect(conn.listenerCount('close')).toBe(baseline);
    expect(server.pendingSockets()).toBe(0);
  });

  it('forgets every connection, address and user once the clients are gone', async () => {
    server = await wiredServer({});
    const socket = ioClient(server.url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: auth('alice', RtmTokenBuilder.buildToken(APP_ID, CERT, 'alice', 600)) });
    expect(await readyOrRefused(socket)).toEqual({ ready: true });
    expect(server.guard.counts()).toEqual({ addresses: 1, users: 1 });
    socket.disconnect();
    await new Promise<void>((resolve) => {
      const poll = () => (server!.guard.counts().addresses === 0 ? resolve() : setTimeout(poll, 5));
      poll();
    });
    expect(server.guard.counts()).toEqual({ addresses: 0, users: 0 });
  });
});

describe('handshake and connection rates (startServer({ abuse }))', () => {
  let server: RtmServer | null = null;
  const sockets: Socket[] = [];
  const raws: RawConnection[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    for (const r of raws.splice(0)) r.close();
    await server?.close();
    server = null;
  });
  const open = (uid: string) => {
    const s = ioClient(server!.url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: auth(uid) });
    sockets.push(s);
    return s;
  };

  it('refuses a connection that keeps sending handshakes with LOGIN_ERR_TOO_OFTEN and closes it', async () => {
    server = await startServer({ port: 0, logger: false, abuse: { handshakesPerConnection: { count: 3, windowMs: 60_000 } } });
    const raw = await openRaw(server.url);
    raws.push(raw);
    for (let i = 1; i <= 4; i++) {
      raw.connect({ ...auth('alice'), appId: 'short' });
      await raw.until(() => raw.connectErrors().length === i, 2_000, `answer ${i}`);
    }
    await expect(raw.closed).resolves.toBeTypeOf('string');
    expect(raw.connectErrors().map((e) => e.name)).toEqual([
      'LOGIN_ERR_INVALID_APP_ID',
      'LOGIN_ERR_INVALID_APP_ID',
      'LOGIN_ERR_INVALID_APP_ID',
      'LOGIN_ERR_TOO_OFTEN',
    ]);
    expect(raw.connectErrors()[3]?.code).toBe(10);
    // Others are served as before.
    expect(await readyOrRefused(open('bob'))).toEqual({ ready: true });
  });

  it('refuses handshakes from an address over its rate with LOGIN_ERR_TOO_OFTEN, over all its connections', async () => {
    server = await startServer({ port: 0, logger: false, abuse: { handshakesPerAddress: { count: 4, windowMs: 60_000 } } });
    for (const uid of ['u1', 'u2', 'u3', 'u4']) expect(await readyOrRefused(open(uid))).toEqual({ ready: true });
    const fifth = open('u5');
    const closed = new Promise<void>((resolve) => fifth.io.engine.once('close', () => resolve()));
    expect(await readyOrRefused(fifth)).toEqual({ ready: false, code: 10 });
    await closed;
    expect(await server.core.sessions.get(APP_ID, 'u5')).toBeNull();
  });

  it('refuses new connections from an address over its connection rate, for polling and WebSocket', async () => {
    server = await startServer({ port: 0, logger: false, abuse: { connectionsPerAddress: { count: 3, windowMs: 60_000 } } });
    expect(await pollingHandshake(server.url)).toBe(200);
    expect(await pollingHandshake(server.url)).toBe(200);
    expect(await readyOrRefused(open('alice'))).toEqual({ ready: true });
    expect(await pollingHandshake(server.url)).toBe(403);
    // A refused upgrade is a transport error: no login data, and no session.
    expect(await readyOrRefused(open('bob'))).toEqual({ ready: false });
    expect(await server.core.sessions.get(APP_ID, 'bob')).toBeNull();
  });

  it('refuses connections over the open maximum of an address until one closes', async () => {
    server = await startServer({ port: 0, logger: false, abuse: { maxConnectionsPerAddress: 2 } });
    const a = await openRaw(server.url);
    const b = await openRaw(server.url);
    raws.push(a, b);
    await expect(openRaw(server.url)).rejects.toBeDefined();
    a.close();
    let again: RawConnection | null = null;
    for (let i = 0; i < 100 && again === null; i++) {
      again = await openRaw(server.url).catch(async () => {
        await new Promise((r) => setTimeout(r, 20));
        return null;
      });
    }
    expect(again).not.toBeNull();
    raws.push(again!);
  });

  it('counts per address what abuse.clientAddress reports (behind a proxy)', async () => {
    server = await startServer({
      port: 0,
      logger: false,
      abuse: { maxConnectionsPerAddress: 1, clientAddress: (req) => String(req.headers['x-forwarded-for'] ?? '').split(',').at(-1)?.trim() },
    });
    raws.push(await openRaw(server.url, { 'x-forwarded-for': '198.51.100.1' }));
    raws.push(await openRaw(server.url, { 'x-forwarded-for': '198.51.100.2' }));
    // A client cannot escape by prepending its own entry: the proxy's (last) one counts.
    await expect(openRaw(server.url, { 'x-forwarded-for': '10.9.9.9, 198.51.100.1' })).rejects.toBeDefined();
  });

  it('counts connections per user: over the maximum a login is refused, within it a login replaces the older session', async () => {
    server = await startServer({ port: 0, logger: false, abuse: { maxConnectionsPerUser: 1 } });
    const first = open('alice');
    expect(await readyOrRefused(first)).toEqual({ ready: true });
    expect(await readyOrRefused(open('alice'))).toEqual({ ready: false, code: 10 });
    expect(await readyOrRefused(open('bob'))).toEqual({ ready: true });
    await server.close();

    server = await startServer({ port: 0, logger: false, abuse: { maxConnectionsPerUser: 2 } });
    const older = open('alice');
    expect(await readyOrRefused(older)).toEqual({ ready: true });
    const ended = new Promise<{ reason: string }>((resolve) => older.once('session:ended', resolve));
    expect(await readyOrRefused(open('alice'))).toEqual({ ready: true });
    await expect(ended).resolves.toEqual({ reason: 'REMOTE_LOGIN' });
  });
});

describe('the address per-address limits count against', () => {
  it('is the IPv4 address, also when a dual-stack socket reports it IPv4-mapped', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::FFFF:203.0.113.7')).toBe('203.0.113.7');
  });

  it('is the /64 network of an IPv6 address, however it is written', () => {
    const key = addressKey('2001:db8:1:2:3:4:5:6');
    expect(key).toBe('2001:db8:1:2::/64');
    for (const same of ['2001:db8:1:2::9', '2001:0db8:0001:0002:ffff:ffff:ffff:ffff', '[2001:db8:1:2::1]', '2001:db8:1:2::1%eth0', '2001:db8:1:2::1.2.3.4']) {
      expect(addressKey(same)).toBe(key);
    }
    expect(addressKey('2001:db8:1:3::1')).not.toBe(key);
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('2001:db8::')).toBe('2001:db8:0:0::/64');
  });

  it('takes what a custom clientAddress returns as it is, and names a missing one', () => {
    expect(addressKey('client-42')).toBe('client-42');
    expect(addressKey(undefined)).toBe('unknown');
    expect(addressKey('')).toBe('unknown');
  });
});
