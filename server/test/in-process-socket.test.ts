import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import AgoraRTM, { type RtmClient } from '@rtm-kit/client';
import { PROTOCOL_VERSION } from '@rtm-kit/protocol';
import { createInProcessServer, type InProcessServer, type InProcessSocket } from '@rtm-kit/server/in-process';
import { overTheWire } from '../src/testing/in-process/wire.js';

const APP_ID = '0123456789abcdef0123456789abcdef';

async function waitFor(check: () => boolean, ms = 5_000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  for (let i = 0; i < 10_000; i++) {
    if (check()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** What a client presents: a fresh login, then (as the rtm-kit client does) its session to resume it. */
function loginAs(uid: string): { auth: () => unknown; ready: (info: { sessionId: string; resumeSecret: string }) => void } {
  let session: { sessionId: string; resumeSecret: string } | null = null;
  return {
    auth: () => ({ v: PROTOCOL_VERSION, appId: APP_ID, uid, token: null, sessionId: session?.sessionId ?? null, resumeSecret: session?.resumeSecret ?? null }),
    ready: (info) => {
      session = { sessionId: info.sessionId, resumeSecret: info.resumeSecret };
    },
  };
}

/** A socket as the client's transport opens it, recording what happens to it. */
function rawSocket(server: InProcessServer, authOf: () => unknown, delayMs = 20): { socket: InProcessSocket; seen: string[] } {
  const socket = server.transport({ url: 'ignored', auth: authOf, reconnectDelayMs: delayMs, reconnectDelayMaxMs: delayMs });
  const seen: string[] = [];
  socket.on('connect', () => seen.push('connect'));
  socket.on('disconnect', (reason: string) => seen.push(`disconnect:${reason}`));
  socket.on('connect_error', (error: Error & { data?: { name?: string } }) => seen.push(`connect_error:${error.data?.name ?? error.message}`));
  socket.on('session:ready', () => seen.push('session:ready'));
  socket.on('session:ended', (info: { reason: string }) => seen.push(`session:ended:${info.reason}`));
  return { socket, seen };
}

describe('the in-memory socket.io under the real binding', () => {
  let server: InProcessServer;
  const sockets: InProcessSocket[] = [];
  const clients: RtmClient[] = [];
  const open = (uid: string, delayMs?: number) => {
    const login = loginAs(uid);
    const raw = rawSocket(server, login.auth, delayMs);
    raw.socket.on('session:ready', login.ready);
    sockets.push(raw.socket);
    return raw;
  };

  beforeEach(async () => {
    server = await createInProcessServer({ logger: false });
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
    await server.close();
  });

  it('refuses a malformed login in the handshake middleware: connect_error with the code, and the socket gives up', async () => {
    const { socket, seen } = rawSocket(server, () => ({ v: PROTOCOL_VERSION, appId: 'short', uid: 'alice' }));
    sockets.push(socket);
    socket.connect();
    await waitFor(() => seen.length > 0, 2_000, 'an answer');
    expect(seen).toEqual(['connect_error:LOGIN_ERR_INVALID_ARGUMENT']);
    expect(socket.active).toBe(false);
    expect(socket.connected).toBe(false);
    await waitFor(() => server.connections() === 0, 2_000, 'the connection to close');
  });

  it('connects before the session is ready, and answers requests through the same validation as socket.io', async () => {
    const { socket, seen } = open('alice');
    // Sent before the connection exists: it waits, as socket.io-client's buffer does.
    const early = new Promise((resolve) => socket.emit('presence:query', { peers: ['bob'] }, resolve));
    socket.connect();
    await waitFor(() => seen.includes('session:ready'), 2_000, 'session:ready');
    expect(seen).toEqual(['connect', 'session:ready']);
    expect(await early).toEqual({ ok: true, data: { online: [['bob', false]] } });

    const malformed = await new Promise((resolve) => socket.emit('peer:send', { to: 42 }, resolve));
    expect(malformed).toMatchObject({ ok: false, error: { code: 7, name: 'PEER_MESSAGE_ERR_INVALID_MESSAGE' } });
    const unknown = await new Promise((resolve) => socket.emit('no:such-event', {}, resolve));
    expect(unknown).toEqual({ ok: false, error: { code: 0, name: 'INTERNAL', message: 'Unknown event.' } });
  });

  it('closes a connection that sends an event named like a socket event, as socket.io cannot decode it', async () => {
    const { socket, seen } = open('alice', 10_000);
    socket.connect();
    await waitFor(() => seen.includes('session:ready'), 2_000, 'session:ready');
    socket.emit('disconnect', 'pretending');
    await waitFor(() => seen.includes('disconnect:transport close'), 2_000, 'the connection to close');
    // The server saw a dropped connection, not a logout: the session waits for a reconnect.
    await waitFor(() => server.connections() === 0, 2_000, 'the connection to be gone');
    expect((await server.core.sessions.get(APP_ID, 'alice'))?.connected).toBe(false);
  });

  it('closes the socket after a logout with "io server disconnect"', async () => {
    const { socket, seen } = open('alice');
    socket.connect();
    await waitFor(() => seen.includes('session:ready'), 2_000, 'session:ready');
    const answer = await new Promise((resolve) => socket.emit('session:logout', {}, resolve));
    expect(answer).toEqual({ ok: true, data: null });
    await waitFor(() => seen.includes('disconnect:io server disconnect'), 2_000, 'the disconnect');
    expect(socket.active).toBe(false);
    expect(await server.core.sessions.get(APP_ID, 'alice')).toBeNull();
    await waitFor(() => server.connections() === 0, 2_000, 'the connection to close');
  });

  it('tells the server of a client disconnect, which starts the session grace period', async () => {
    const { socket, seen } = open('alice');
    socket.connect();
    await waitFor(() => seen.includes('session:ready'), 2_000, 'session:ready');
    socket.disconnect();
    expect(seen.at(-1)).toBe('disconnect:io client disconnect');
    await waitFor(() => server.connections() === 0, 2_000, 'the connection to close');
    expect((await server.core.sessions.get(APP_ID, 'alice'))?.connected).toBe(false);
  });

  it('reconnects by itself after a network failure, and again once a user who went offline is back', async () => {
    const { socket, seen } = open('alice', 10);
    socket.connect();
    await waitFor(() => seen.includes('session:ready'), 2_000, 'session:ready');
    server.drop('alice');
    await waitFor(() => seen.filter((s) => s === 'connect').length === 2, 2_000, 'the reconnection');
    await waitFor(() => seen.filter((s) => s === 'session:ready').length === 2, 2_000, 'the session resumed');
    expect(seen.slice(0, 5)).toEqual(['connect', 'session:ready', 'disconnect:transport close', 'connect', 'session:ready']);
    expect(socket.active).toBe(true);

    server.goOffline('alice');
    await waitFor(() => seen.filter((s) => s === 'connect_error:websocket error').length >= 2, 2_000, 'refused reconnections');
    expect(socket.connected).toBe(false);
    expect(socket.active).toBe(true);
    server.goOnline('alice');
    await waitFor(() => seen.filter((s) => s === 'session:ready').length === 3, 2_000, 'the connection back');
    expect(seen.filter((s) => s.startsWith('connect_error')).every((s) => s === 'connect_error:websocket error')).toBe(true);
  });

  it('ends the older session on a second login of the same user (ABORTED/REMOTE_LOGIN)', async () => {
    const first = AgoraRTM.createInstance(APP_ID, { ...server.clientConfig, logFilter: AgoraRTM.LOG_FILTER_OFF });
    const second = AgoraRTM.createInstance(APP_ID, { ...server.clientConfig, logFilter: AgoraRTM.LOG_FILTER_OFF });
    clients.push(first, second);
    const states: string[] = [];
    first.on('ConnectionStateChanged', (state, reason) => states.push(`${state}/${reason}`));
    await first.login({ uid: 'bob' });
    await second.login({ uid: 'bob' });
    await waitFor(() => states.includes('ABORTED/REMOTE_LOGIN'), 2_000, 'the remote login');
    await waitFor(() => server.connections() === 1, 2_000, 'the older connection to close');
  });

  it('lets the clients hear that the server closed', async () => {
    const { socket, seen } = open('alice');
    socket.connect();
    await waitFor(() => seen.includes('session:ready'), 2_000, 'session:ready');
    await server.close();
    expect(seen.at(-1)).toBe('disconnect:io server disconnect');
    expect(socket.active).toBe(false);
  });
});

describe('values on the wire', () => {
  it('are copied as socket.io encodes them: JSON, with binary beside it', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const sent = [{ a: undefined, b: [undefined, 1], when: new Date(0), bytes, nested: { view: new Uint16Array([258]) } }];
    const [server] = overTheWire(sent, 'uint8array') as [Record<string, unknown>];
    expect(server).toEqual({ b: [null, 1], when: '1970-01-01T00:00:00.000Z', bytes: new Uint8Array([1, 2, 3]), nested: { view: new Uint8Array([2, 1]) } });
    expect(server['bytes']).not.toBe(bytes);
    const [client] = overTheWire(sent, 'arraybuffer') as [{ bytes: ArrayBuffer }];
    expect(client.bytes).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(client.bytes)]).toEqual([1, 2, 3]);
  });

  it('treats a Node Buffer as binary (not its toJSON form) and copies only its own bytes', () => {
    const pool = Buffer.from('xxhelloxx');
    const [copy] = overTheWire([pool.subarray(2, 7)], 'uint8array') as [Uint8Array];
    expect(new TextDecoder().decode(copy)).toBe('hello');
    expect(copy.buffer.byteLength).toBe(5);
  });
});
