import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RtmTokenBuilder } from 'agora-token';
import AgoraRTM, { RtmErrorCode, type RtmClient } from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { APP_ID, CERT, OTHER_APP_ID, recordStates } from './helpers.js';

const quiet = { logFilter: AgoraRTM.LOG_FILTER_OFF };
const { LoginError, LogoutError } = RtmErrorCode;

describe('login and logout against the server in development mode', () => {
  let server: RtmServer;
  const clients: RtmClient[] = [];
  const client = () => {
    const c = AgoraRTM.createInstance(APP_ID, { serverUrl: server.url, ...quiet });
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    server = await startServer({ port: 0, logger: false });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
    await server.close();
  });

  it('goes CONNECTING/LOGIN then CONNECTED/LOGIN_SUCCESS, and DISCONNECTED/LOGOUT on logout', async () => {
    const alice = client();
    const states = recordStates(alice);
    await alice.login({ uid: 'alice' });
    expect(states).toEqual(['CONNECTING/LOGIN', 'CONNECTED/LOGIN_SUCCESS']);
    expect(alice.connectionState).toBe('CONNECTED');
    expect((await server.core.sessions.get(APP_ID, 'alice'))?.connected).toBe(true);

    await alice.logout();
    expect(states.at(-1)).toBe('DISCONNECTED/LOGOUT');
    expect(await server.core.sessions.get(APP_ID, 'alice')).toBeNull();
  });

  it('refuses an invalid uid or token type with LOGIN_ERR_INVALID_ARGUMENT and no state change', async () => {
    const alice = client();
    const states = recordStates(alice);
    for (const uid of ['', 'null', 'x'.repeat(65), 'a/b', 42 as unknown as string]) {
      await expect(alice.login({ uid })).rejects.toMatchObject({ code: LoginError.LOGIN_ERR_INVALID_ARGUMENT, name: 'RtmInvalidArgumentError' });
    }
    await expect(alice.login({ uid: 'alice', token: 7 as unknown as string })).rejects.toMatchObject({ code: 3 });
    expect(states).toEqual([]);
  });

  it('refuses a second login within 500 ms (TOO_OFTEN) and while logged in (ALREADY_LOGIN)', async () => {
    const alice = client();
    const first = alice.login({ uid: 'alice' });
    await expect(alice.login({ uid: 'alice' })).rejects.toMatchObject({ code: LoginError.LOGIN_ERR_TOO_OFTEN, name: 'RtmInvokeTooOftenError' });
    await first;
    await new Promise((r) => setTimeout(r, 520));
    await expect(alice.login({ uid: 'alice' })).rejects.toMatchObject({ code: LoginError.LOGIN_ERR_ALREADY_LOGIN });
  });

  it('answers logout while logged out with LOGOUT_ERR_USER_NOT_LOGGED_IN', async () => {
    await expect(client().logout()).rejects.toMatchObject({ code: LogoutError.LOGOUT_ERR_USER_NOT_LOGGED_IN });
  });

  it('accepts any well-formed App ID without a token, and a leading-space uid', async () => {
    const other = AgoraRTM.createInstance(OTHER_APP_ID, { serverUrl: server.url, ...quiet });
    clients.push(other);
    await other.login({ uid: ' spaced' });
    expect(other.connectionState).toBe('CONNECTED');
  });

  it('kicks the older session of the same uid with ABORTED/REMOTE_LOGIN', async () => {
    const first = client();
    const second = client();
    const firstStates = recordStates(first);
    await first.login({ uid: 'bob' });
    await second.login({ uid: 'bob' });
    await expect.poll(() => firstStates.at(-1)).toBe('ABORTED/REMOTE_LOGIN');
    expect(second.connectionState).toBe('CONNECTED');

    // From ABORTED, login is refused until logout, which goes straight to DISCONNECTED/LOGOUT.
    await new Promise((r) => setTimeout(r, 500));
    await expect(first.login({ uid: 'bob' })).rejects.toMatchObject({ code: LoginError.LOGIN_ERR_ALREADY_LOGIN });
    await first.logout();
    expect(firstStates.slice(-1)).toEqual(['DISCONNECTED/LOGOUT']);
    expect(second.connectionState).toBe('CONNECTED');
  });

  it('keeps instances of one app independent', async () => {
    const a = client();
    const b = client();
    await Promise.all([a.login({ uid: 'a' }), b.login({ uid: 'b' })]);
    await a.logout();
    expect(b.connectionState).toBe('CONNECTED');
  });
});

describe('apps and AccessToken2 tokens', () => {
  let server: RtmServer;
  const clients: RtmClient[] = [];
  const client = (appId = APP_ID) => {
    const c = AgoraRTM.createInstance(appId, { serverUrl: server.url, ...quiet });
    clients.push(c);
    return c;
  };
  const token = (uid: string, seconds = 3600, cert = CERT) => RtmTokenBuilder.buildToken(APP_ID, cert, uid, seconds);

  beforeEach(async () => {
    server = await startServer({ port: 0, logger: false, apps: [{ appId: APP_ID, appCertificate: CERT }] });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
    await server.close();
  });

  it('logs in with a token made by agora-token for that uid', async () => {
    const alice = client();
    await alice.login({ uid: 'alice', token: token('alice') });
    expect(alice.connectionState).toBe('CONNECTED');
  });

  it('refuses an unknown App ID with LOGIN_ERR_INVALID_APP_ID and DISCONNECTED/LOGIN_FAILURE', async () => {
    const stranger = client(OTHER_APP_ID);
    const states = recordStates(stranger);
    await expect(stranger.login({ uid: 'alice' })).rejects.toMatchObject({ code: LoginError.LOGIN_ERR_INVALID_APP_ID });
    expect(states).toEqual(['CONNECTING/LOGIN', 'DISCONNECTED/LOGIN_FAILURE']);
  });

  it.each([
    ['no token', undefined],
    ['garbage', 'not-a-token'],
    ['a token of another certificate', 'WRONG'],
    ['a token of another uid', 'OTHER_UID'],
    ['an oversized token', '007' + 'A'.repeat(10_000)],
    ['a zlib bomb', 'BOMB'],
  ])('refuses %s with LOGIN_ERR_INVALID_TOKEN', async (_label, kind) => {
    const alice = client();
    const states = recordStates(alice);
    let value: string | undefined = kind;
    if (kind === 'WRONG') value = token('alice', 3600, '00000000000000000000000000000000');
    if (kind === 'OTHER_UID') value = token('mallory');
    if (kind === 'BOMB') {
      const { deflateSync } = await import('node:zlib');
      value = '007' + deflateSync(Buffer.alloc(50_000_000)).toString('base64');
      value = value.slice(0, 2000);
    }
    await expect(alice.login({ uid: 'alice', ...(value === undefined ? {} : { token: value }) })).rejects.toMatchObject({
      code: LoginError.LOGIN_ERR_INVALID_TOKEN,
      name: 'RtmUnauthenticatedError',
    });
    expect(states).toEqual(['CONNECTING/LOGIN', 'DISCONNECTED/LOGIN_FAILURE']);
  });

  it('refuses an expired token with LOGIN_ERR_TOKEN_EXPIRED', async () => {
    const alice = client();
    const expired = RtmTokenBuilder.buildToken(APP_ID, CERT, 'alice', 0);
    await expect(alice.login({ uid: 'alice', token: expired })).rejects.toMatchObject({ code: LoginError.LOGIN_ERR_TOKEN_EXPIRED });
  });

  it('treats a token equal to the App ID as no token', async () => {
    await expect(client().login({ uid: 'alice', token: APP_ID })).rejects.toMatchObject({ code: LoginError.LOGIN_ERR_INVALID_TOKEN });
  });

  it('limits fresh logins of one uid to 2 per second on the server (LOGIN_ERR_TOO_OFTEN)', async () => {
    const results = await Promise.allSettled(
      [0, 1, 2].map(() => client().login({ uid: 'carol', token: token('carol') })),
    );
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ code: LoginError.LOGIN_ERR_TOO_OFTEN });
  });
});

describe('login timeout', () => {
  it('gives up with LOGIN_ERR_TIMEOUT and DISCONNECTED/LOGIN_TIMEOUT when no server answers', async () => {
    const server = await startServer({ port: 0, logger: false });
    const url = server.url;
    await server.close(); // nothing listens on this port any more
    const alice = AgoraRTM.createInstance(APP_ID, { serverUrl: url, ...quiet, timing: { loginTimeoutMs: 400, reconnectDelayMs: 50 } });
    const states = recordStates(alice);
    await expect(alice.login({ uid: 'alice' })).rejects.toMatchObject({ code: LoginError.LOGIN_ERR_TIMEOUT, name: 'RtmTimeoutError' });
    expect(states).toEqual(['CONNECTING/LOGIN', 'DISCONNECTED/LOGIN_TIMEOUT']);
  });
});

describe('token lifetime cap', () => {
  it('treats a token issued for 48 hours as valid for 24 hours', async () => {
    const server = await startServer({ port: 0, logger: false, apps: [{ appId: APP_ID, appCertificate: CERT }] });
    const alice = AgoraRTM.createInstance(APP_ID, { serverUrl: server.url, ...quiet });
    try {
      const before = Date.now();
      await alice.login({ uid: 'alice', token: RtmTokenBuilder.buildToken(APP_ID, CERT, 'alice', 48 * 3600) });
      const session = await server.core.sessions.get(APP_ID, 'alice');
      const lifetime = (session?.tokenExpiresAt ?? 0) - before;
      expect(lifetime).toBeGreaterThan(24 * 3600_000 - 5_000);
      expect(lifetime).toBeLessThanOrEqual(24 * 3600_000 + 1_000);
    } finally {
      await alice.logout().catch(() => undefined);
      await server.close();
    }
  });
});
