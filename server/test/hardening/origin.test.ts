import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { startServer, type RtmServer } from '@rtm-kit/server';

const APP_ID = '0123456789abcdef0123456789abcdef';
const APP_ORIGIN = 'https://app.example.com';
const auth = (uid: string) => ({ v: 1, appId: APP_ID, uid, token: null, sessionId: null });

/**
 * A raw client that presents an `Origin` header, as a browser on that origin's page would. Node's
 * ws and XHR let us set it; a browser sets it itself and a page cannot change it.
 */
function connectFrom(url: string, origin: string | null, uid: string, transport: 'websocket' | 'polling'): Socket {
  return io(url, {
    transports: [transport],
    forceNew: true,
    reconnection: false,
    auth: auth(uid),
    ...(origin === null ? {} : { extraHeaders: { origin } }),
  });
}

function outcome(socket: Socket): Promise<'ready' | 'refused'> {
  return new Promise((resolve) => {
    socket.once('session:ready', () => resolve('ready'));
    socket.once('connect_error', () => resolve('refused'));
  });
}

/** The status of an engine.io polling handshake sent with these headers. */
function pollingHandshake(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/socket.io/?EIO=4&transport=polling`, { headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('cors.origin restricts socket.io connections, not only CORS', () => {
  let server: RtmServer | null = null;
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    await server?.close();
    server = null;
  });
  const open = (origin: string | null, uid: string, transport: 'websocket' | 'polling' = 'websocket') => {
    const s = connectFrom(server!.url, origin, uid, transport);
    sockets.push(s);
    return s;
  };

  it.each(['websocket', 'polling'] as const)('refuses a %s connection from a foreign origin: no login, no session', async (transport) => {
    server = await startServer({ port: 0, logger: false, cors: { origin: [APP_ORIGIN] } });
    expect(await outcome(open('https://evil.example', 'victim', transport))).toBe('refused');
    expect(await server.core.sessions.get(APP_ID, 'victim')).toBeNull();
    expect(await outcome(open(APP_ORIGIN, 'alice', transport))).toBe('ready');
  });

  it('answers a foreign origin 403 at the handshake, before any socket.io state exists', async () => {
    server = await startServer({ port: 0, logger: false, cors: { origin: APP_ORIGIN } });
    expect(await pollingHandshake(server.url, { origin: 'https://evil.example' })).toBe(403);
    expect(await pollingHandshake(server.url, { origin: 'null' })).toBe(403);
    // Origins compare exactly, as CORS does: a look-alike is another origin.
    expect(await pollingHandshake(server.url, { origin: `${APP_ORIGIN}.evil.example` })).toBe(403);
    expect(await pollingHandshake(server.url, { origin: APP_ORIGIN })).toBe(200);
  });

  it('lets clients without an Origin header in (non-browser clients authenticate with tokens)', async () => {
    server = await startServer({ port: 0, logger: false, cors: { origin: [APP_ORIGIN] } });
    expect(await outcome(open(null, 'node-client'))).toBe('ready');
    expect(await pollingHandshake(server.url, {})).toBe(200);
  });

  it('always lets the server’s own origin in (a staticDir app), even with origin: false', async () => {
    server = await startServer({ port: 0, logger: false, cors: { origin: false } });
    const own = server.url; // http://127.0.0.1:port, which is also the Host header the client sends
    expect(await outcome(open(own, 'alice'))).toBe('ready');
    expect(await outcome(open('https://app.example.com', 'bob'))).toBe('refused');
  });

  it('lets any origin in by default', async () => {
    server = await startServer({ port: 0, logger: false });
    expect(await outcome(open('https://anywhere.example', 'alice'))).toBe('ready');
  });
});
