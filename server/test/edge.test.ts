import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { MemoryStore, startServer, type RtmServer } from '@rtm-kit/server';

const APP_ID = '0123456789abcdef0123456789abcdef';

/** A raw socket.io connection, as a modified or hostile client would make. */
function raw(url: string, auth: unknown): Socket {
  return io(url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: auth as object });
}

function connectError(socket: Socket): Promise<{ code: number; name: string; message: string }> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('connected unexpectedly')));
    socket.once('connect_error', (err: Error & { data?: { code: number; name: string; message: string } }) => {
      if (err.data) resolve(err.data);
      else reject(err);
    });
  });
}

function ready(socket: Socket): Promise<{ sessionId: string; resumed: boolean }> {
  return new Promise((resolve, reject) => {
    socket.once('session:ready', resolve);
    socket.once('connect_error', reject);
  });
}

describe('the server edge refuses bad input with the spec codes and keeps serving', () => {
  let server: RtmServer;
  const sockets: Socket[] = [];
  const open = (auth: unknown) => {
    const s = raw(server.url, auth);
    sockets.push(s);
    return s;
  };
  const auth = (uid: string) => ({ v: 1, appId: APP_ID, uid, token: null, sessionId: null });

  beforeEach(async () => {
    server = await startServer({ port: 0, logger: false });
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    await server.close();
  });

  it.each([
    ['no auth at all', undefined],
    ['an unknown protocol version', { ...auth('alice'), v: 99 }],
    ['a missing uid', { v: 1, appId: APP_ID, token: null, sessionId: null }],
    ['a numeric uid', { ...auth('alice'), uid: 42 }],
    ['an extra field claiming another identity', { ...auth('alice'), admin: true }],
    ['an enormous uid', { ...auth('alice'), uid: 'x'.repeat(5000) }],
  ])('refuses a handshake with %s as LOGIN_ERR_INVALID_ARGUMENT (3)', async (_label, bad) => {
    await expect(connectError(open(bad))).resolves.toMatchObject({ code: 3, name: 'LOGIN_ERR_INVALID_ARGUMENT' });
  });

  it('drops a handshake whose auth is not an object at the protocol layer, and keeps serving', async () => {
    const bad = open('alice');
    const outcome = await new Promise<string>((resolve) => {
      bad.once('connect', () => resolve('connected'));
      bad.once('connect_error', () => resolve('refused'));
      bad.once('disconnect', () => resolve('refused'));
      setTimeout(() => resolve('no answer'), 3_000);
    });
    expect(outcome).not.toBe('connected');
    expect(await server.core.sessions.get(APP_ID, 'alice')).toBeNull();
    await expect(ready(open(auth('alice')))).resolves.toMatchObject({ resumed: false });
  });

  it('refuses a malformed App ID with LOGIN_ERR_INVALID_APP_ID (4) and a bad uid with 3', async () => {
    await expect(connectError(open({ ...auth('alice'), appId: 'short' }))).resolves.toMatchObject({ code: 4 });
    await expect(connectError(open(auth('null')))).resolves.toMatchObject({ code: 3 });
    await expect(connectError(open(auth('a/b')))).resolves.toMatchObject({ code: 3 });
  });

  it('answers malformed session requests with their group codes', async () => {
    const s = open(auth('alice'));
    await ready(s);
    await expect(s.emitWithAck('session:renewToken', { token: 5 })).resolves.toMatchObject({
      ok: false,
      error: { code: 2, name: 'RENEW_TOKEN_ERR_INVALID_ARGUMENT' },
    });
    await expect(s.emitWithAck('session:renewToken', 'not an object')).resolves.toMatchObject({ ok: false, error: { code: 2 } });
    await expect(s.emitWithAck('session:renewToken', { token: 't', uid: 'mallory' })).resolves.toMatchObject({ ok: false, error: { code: 2 } });
    await expect(s.emitWithAck('session:renewToken', null)).resolves.toMatchObject({ ok: false, error: { code: 2 } });
  });

  it('answers an unknown event that expects an answer, and ignores requests without one', async () => {
    const s = open(auth('alice'));
    await ready(s);
    await expect(s.emitWithAck('admin:shutdown', {})).resolves.toMatchObject({ ok: false, error: { name: 'INTERNAL' } });
    s.emit('session:renewToken', { token: 'x' }); // no ack: dropped
    s.emit('session:logout'); // no payload, no ack: dropped
    await expect(s.emitWithAck('session:renewToken', { token: '' })).resolves.toMatchObject({ ok: false, error: { code: 2 } });
  });

  it('closes a connection that sends an oversized packet, and keeps serving others', async () => {
    const bad = open(auth('mallory'));
    await ready(bad);
    const closed = new Promise<string>((resolve) => bad.once('disconnect', resolve));
    bad.emit('session:renewToken', { token: 'x'.repeat(1_000_000) }, () => undefined);
    await expect(closed).resolves.toBeTypeOf('string');

    const good = open(auth('alice'));
    await expect(ready(good)).resolves.toMatchObject({ resumed: false });
  });

  it('never takes a uid from a payload: logout ends only the caller session', async () => {
    const alice = open(auth('alice'));
    const bob = open(auth('bob'));
    await Promise.all([ready(alice), ready(bob)]);
    await expect(alice.emitWithAck('session:logout', { uid: 'bob' })).resolves.toMatchObject({ ok: true });
    expect(await server.core.sessions.get(APP_ID, 'alice')).toBeNull();
    expect((await server.core.sessions.get(APP_ID, 'bob'))?.connected).toBe(true);
  });

  it('does not resume a session from a guessed or foreign session id', async () => {
    const alice = open(auth('alice'));
    const first = await ready(alice);
    const mallory = open({ ...auth('mallory'), sessionId: first.sessionId });
    const got = await ready(mallory);
    expect(got.resumed).toBe(false);
    expect(got.sessionId).not.toBe(first.sessionId);
    expect((await server.core.sessions.get(APP_ID, 'alice'))?.sessionId).toBe(first.sessionId);
  });

  it('refuses requests on a logged-out connection with the not-logged-in code', async () => {
    const s = open(auth('alice'));
    await ready(s);
    await expect(s.emitWithAck('session:logout', {})).resolves.toMatchObject({ ok: true });
    // The server closes the socket right after the answer; nothing else is served on it.
    await new Promise<void>((resolve) => (s.connected ? s.once('disconnect', () => resolve()) : resolve()));
    expect(s.connected).toBe(false);
  });
});

describe('the HTTP side', () => {
  it('answers health checks and 404s unknown paths', async () => {
    const server = await startServer({ port: 0, logger: false });
    try {
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.text()).toBe('ok');
      expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe('a connection that closes during the login handshake', () => {
  it('still gets its grace period, so the session ends instead of staying online forever', async () => {
    // A store that answers slowly (as a networked one may) widens the window between the login
    // and socket.io's 'connection' event; the client gives up inside it.
    const store = new MemoryStore();
    const claim = store.sessions.claimSession.bind(store.sessions);
    store.sessions.claimSession = async (...args) => {
      await new Promise((r) => setTimeout(r, 200));
      return claim(...args);
    };
    const server = await startServer({ port: 0, logger: false, store, timing: { presenceGraceMs: 300 } });
    try {
      const s = raw(server.url, { v: 1, appId: APP_ID, uid: 'quitter', token: null, sessionId: null });
      await new Promise((r) => setTimeout(r, 50));
      (s.io.engine as unknown as { close(): void }).close();
      s.disconnect();
      // The login finishes after the connection is gone; the session must then run out.
      const until = Date.now() + 3_000;
      let ended = false;
      let seen = false;
      while (Date.now() < until) {
        const session = await server.core.sessions.get(APP_ID, 'quitter');
        if (session) seen = true;
        if (seen && session === null) {
          ended = true;
          break;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(seen).toBe(true);
      expect(ended).toBe(true);
    } finally {
      await server.close();
    }
  });
});
