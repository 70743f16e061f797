import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStore, startServer, type RtmServer } from '@rtm-kit/server';
import { openRaw, type RawConnection } from './handshake-raw-client.js';

const APP_ID = '0123456789abcdef0123456789abcdef';
const auth = (uid: string) => ({ v: 1, appId: APP_ID, uid, token: null, sessionId: null });

/** socket.io's CONNECT acknowledgement (`0{"sid":...}`): a socket was created and logged in. */
const connectAcks = (raw: RawConnection) => raw.packets.filter((p) => p.startsWith('0{'));

describe('one session per connection, however the logins are pipelined', () => {
  let server: RtmServer | null = null;
  const raws: RawConnection[] = [];
  afterEach(async () => {
    for (const r of raws.splice(0)) r.close();
    await server?.close();
    server = null;
  });
  const open = async () => {
    const raw = await openRaw(server!.url);
    raws.push(raw);
    return raw;
  };

  it('refuses the second of two logins sent back to back with LOGIN_ERR_ALREADY_LOGIN', async () => {
    server = await startServer({ port: 0, logger: false });
    const raw = await open();
    raw.connect(auth('alice'));
    raw.connect(auth('alice'));
    await raw.until(() => raw.events().includes('session:ready') && raw.connectErrors().length === 1, 3_000, 'both answers');
    // Give a second session:ready every chance to arrive.
    await new Promise((r) => setTimeout(r, 100));
    expect(connectAcks(raw)).toHaveLength(1);
    expect(raw.events().filter((e) => e === 'session:ready')).toHaveLength(1);
    expect(raw.connectErrors()).toEqual([expect.objectContaining({ code: 8, name: 'LOGIN_ERR_ALREADY_LOGIN' })]);
    expect((await server.core.sessions.get(APP_ID, 'alice'))?.connected).toBe(true);
  });

  it('gives two users pipelined on one connection one session between them', async () => {
    server = await startServer({ port: 0, logger: false });
    const raw = await open();
    raw.connect(auth('alice'));
    raw.connect(auth('bob'));
    await raw.until(() => raw.events().includes('session:ready') && raw.connectErrors().length === 1, 3_000, 'both answers');
    await new Promise((r) => setTimeout(r, 100));
    expect(connectAcks(raw)).toHaveLength(1);
    const sessions = [await server.core.sessions.get(APP_ID, 'alice'), await server.core.sessions.get(APP_ID, 'bob')];
    expect(sessions.filter((s) => s !== null)).toHaveLength(1);
  });

  it('holds while a slow login runs: every other login on the connection is refused meanwhile', async () => {
    // A store that answers slowly widens the window in which the first login is in flight.
    const store = new MemoryStore();
    const claim = store.sessions.claimSession.bind(store.sessions);
    store.sessions.claimSession = async (...args) => {
      await new Promise((r) => setTimeout(r, 150));
      return claim(...args);
    };
    server = await startServer({ port: 0, logger: false, store, abuse: { handshakesPerConnection: { count: 100, windowMs: 60_000 } } });
    const raw = await open();
    raw.connect(auth('alice'));
    await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 10; i++) raw.connect(auth(`user${i}`));
    await raw.until(() => raw.events().includes('session:ready') && raw.connectErrors().length === 10, 3_000, 'every answer');
    expect(raw.connectErrors().every((e) => e.name === 'LOGIN_ERR_ALREADY_LOGIN')).toBe(true);
    expect(connectAcks(raw)).toHaveLength(1);
    for (let i = 0; i < 10; i++) expect(await server.core.sessions.get(APP_ID, `user${i}`)).toBeNull();
  });

  it('closes the connection on a login sent after the socket is logged in (socket.io: one socket per namespace)', async () => {
    server = await startServer({ port: 0, logger: false });
    const raw = await open();
    raw.connect(auth('alice'));
    await raw.until(() => raw.events().includes('session:ready'), 3_000, 'the login');
    raw.connect(auth('bob'));
    await expect(raw.closed).resolves.toBeTypeOf('string');
    expect(await server.core.sessions.get(APP_ID, 'bob')).toBeNull();
    // The logged-in session is kept for its grace period, as after any dropped connection.
    await expect.poll(async () => (await server!.core.sessions.get(APP_ID, 'alice'))?.connected).toBe(false);
  });
});
