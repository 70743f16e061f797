import { afterEach, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { startServer, type RtmServer } from '@rtm-kit/server';

const APP_ID = '0123456789abcdef0123456789abcdef';

interface Ready {
  sessionId: string;
  resumeSecret: string;
  resumed: boolean;
}

describe('resuming a session takes its resume secret, not only its ID', () => {
  let server: RtmServer;
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    await server.close();
  });

  const connect = (uid: string, resume: { sessionId: string; resumeSecret?: string | null } | null) => {
    const socket = io(server.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth: { v: 1, appId: APP_ID, uid, token: null, sessionId: resume?.sessionId ?? null, ...(resume && 'resumeSecret' in resume ? { resumeSecret: resume.resumeSecret } : {}) },
    });
    sockets.push(socket);
    return socket;
  };
  const ready = (socket: Socket) =>
    new Promise<Ready>((resolve, reject) => {
      socket.once('session:ready', resolve);
      socket.once('connect_error', reject);
    });
  const refusal = (socket: Socket) =>
    new Promise<{ code: number; name: string }>((resolve, reject) => {
      socket.once('session:ready', () => reject(new Error('resumed without the secret')));
      socket.once('connect_error', (err: Error & { data?: { code: number; name: string } }) => (err.data ? resolve(err.data) : reject(err)));
    });

  it('issues a secret at login, apart from the session ID, the same for the whole session', async () => {
    server = await startServer({ port: 0, logger: false, timing: { presenceGraceMs: 5_000 } });
    const first = connect('alice', null);
    const login = await ready(first);
    expect(login.resumeSecret).toMatch(/^[\w-]{32}$/);
    expect(login.resumeSecret).not.toBe(login.sessionId);
    first.disconnect();
    const again = await ready(connect('alice', login));
    expect(again).toMatchObject({ sessionId: login.sessionId, resumeSecret: login.resumeSecret, resumed: true });
  });

  it.each([
    ['no secret', {}],
    ['a null secret', { resumeSecret: null }],
    ['a wrong secret', { resumeSecret: 'x'.repeat(32) }],
    ['the session ID as the secret', 'sessionId'],
  ] as const)('refuses a resume of a dropped session with %s (LOGIN_ERR_NOT_AUTHORIZED) and leaves the session alone', async (_label, secret) => {
    server = await startServer({ port: 0, logger: false, timing: { presenceGraceMs: 5_000 } });
    const owner = connect('alice', null);
    const login = await ready(owner);
    owner.disconnect();
    await expect.poll(async () => (await server.core.sessions.get(APP_ID, 'alice'))?.connected).toBe(false);
    const before = await server.core.sessions.get(APP_ID, 'alice');

    const attempt = secret === 'sessionId' ? { sessionId: login.sessionId, resumeSecret: login.sessionId } : { sessionId: login.sessionId, ...secret };
    await expect(refusal(connect('alice', attempt))).resolves.toMatchObject({ code: 7, name: 'LOGIN_ERR_NOT_AUTHORIZED' });

    // Not taken over: same session, same epoch, still waiting for its owner.
    expect(await server.core.sessions.get(APP_ID, 'alice')).toEqual(before);
    // The owner still can.
    await expect(ready(connect('alice', login))).resolves.toMatchObject({ sessionId: login.sessionId, resumed: true });
  });

  it('does not cut a live session off its connection when a resume without the secret comes in', async () => {
    server = await startServer({ port: 0, logger: false });
    const owner = connect('alice', null);
    const login = await ready(owner);
    let dropped = false;
    owner.on('disconnect', () => (dropped = true));

    await expect(refusal(connect('alice', { sessionId: login.sessionId }))).resolves.toMatchObject({ code: 7 });
    await new Promise((r) => setTimeout(r, 100));
    expect(dropped).toBe(false);
    expect(owner.connected).toBe(true);
    expect(await server.core.sessions.get(APP_ID, 'alice')).toMatchObject({ sessionId: login.sessionId, epoch: 1, connected: true });
    await expect(owner.timeout(2_000).emitWithAck('presence:query', { peers: ['bob'] })).resolves.toMatchObject({ ok: true });
  });

  it('still lets a session ID of a session that is over become a fresh login (no secret needed: nothing to take over)', async () => {
    server = await startServer({ port: 0, logger: false });
    const owner = connect('alice', null);
    const login = await ready(owner);
    await owner.timeout(2_000).emitWithAck('session:logout', {});
    const fresh = await ready(connect('alice', { sessionId: login.sessionId }));
    expect(fresh.resumed).toBe(false);
    expect(fresh.sessionId).not.toBe(login.sessionId);
    expect(fresh.resumeSecret).not.toBe(login.resumeSecret);
  });
});
