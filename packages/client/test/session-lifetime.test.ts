import { afterEach, describe, expect, it } from 'vitest';
import { RtmTokenBuilder } from 'agora-token';
import AgoraRTM, { RtmErrorCode, type RtmClient } from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { createManualClock } from '@rtm-kit/server/testing';
import { APP_ID, CERT, recordStates, tappedTransport, waitFor } from './helpers.js';

const quiet = { logFilter: AgoraRTM.LOG_FILTER_OFF };
const { RenewTokenError } = RtmErrorCode;
const token = (uid: string, seconds: number) => RtmTokenBuilder.buildToken(APP_ID, CERT, uid, seconds);

let server: RtmServer | null = null;
const clients: RtmClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
  await server?.close();
  server = null;
});

function track(c: RtmClient): RtmClient {
  clients.push(c);
  return c;
}

function counter(client: RtmClient, event: 'TokenExpired' | 'TokenPrivilegeWillExpire'): { count: number } {
  const box = { count: 0 };
  client.on(event, () => box.count++);
  return box;
}

describe('token lifetime (fake clock)', () => {
  it('warns 30 s before expiry, ends the session with ABORTED/TOKEN_EXPIRED at expiry', async () => {
    const clock = createManualClock();
    server = await startServer({ port: 0, logger: false, clock, apps: [{ appId: APP_ID, appCertificate: CERT }] });
    const alice = track(AgoraRTM.createInstance(APP_ID, { serverUrl: server.url, ...quiet }));
    const states = recordStates(alice);
    const willExpire = counter(alice, 'TokenPrivilegeWillExpire');
    const expired = counter(alice, 'TokenExpired');
    await alice.login({ uid: 'alice', token: token('alice', 100) });

    await clock.advance(60_000);
    expect(willExpire.count).toBe(0);
    await clock.advance(11_000); // 71 s: 29 s left
    await waitFor(() => willExpire.count === 1, 2000, 'TokenPrivilegeWillExpire');
    expect(states.at(-1)).toBe('CONNECTED/LOGIN_SUCCESS');

    await clock.advance(30_000);
    await waitFor(() => states.at(-1) === 'ABORTED/TOKEN_EXPIRED', 2000, 'ABORTED/TOKEN_EXPIRED');
    expect(expired.count).toBe(1);
    expect(await server.core.sessions.get(APP_ID, 'alice')).toBeNull();
  });

  it('renewToken moves the deadline to the new token', async () => {
    const clock = createManualClock();
    server = await startServer({ port: 0, logger: false, clock, apps: [{ appId: APP_ID, appCertificate: CERT }] });
    const alice = track(AgoraRTM.createInstance(APP_ID, { serverUrl: server.url, ...quiet }));
    const states = recordStates(alice);
    const willExpire = counter(alice, 'TokenPrivilegeWillExpire');
    await alice.login({ uid: 'alice', token: token('alice', 100) });
    await alice.renewToken(token('alice', 1000));

    await clock.advance(200_000); // past the first token's expiry
    expect(states.at(-1)).toBe('CONNECTED/LOGIN_SUCCESS');
    expect(willExpire.count).toBe(0);
    await clock.advance(775_000); // 975 s: 25 s left of the renewed token
    await waitFor(() => willExpire.count === 1, 2000, 'TokenPrivilegeWillExpire');
    await clock.advance(30_000);
    await waitFor(() => states.at(-1) === 'ABORTED/TOKEN_EXPIRED', 2000, 'ABORTED/TOKEN_EXPIRED');
  });

  it('reports TokenExpired while RECONNECTING without changing state, and logs in again after renewToken', async () => {
    const clock = createManualClock();
    server = await startServer({ port: 0, logger: false, clock, apps: [{ appId: APP_ID, appCertificate: CERT }] });
    const tap = tappedTransport();
    const alice = track(
      AgoraRTM.createInstance(APP_ID, {
        serverUrl: server.url,
        ...quiet,
        transport: tap.transport,
        timing: { interruptionMs: 0, reconnectDelayMs: 400, reconnectDelayMaxMs: 400 },
      }),
    );
    const states = recordStates(alice);
    const expired = counter(alice, 'TokenExpired');
    await alice.login({ uid: 'alice', token: token('alice', 100) });
    const core = server.core;

    tap.drop();
    await waitFor(async () => (await core.sessions.get(APP_ID, 'alice'))?.connected === false, 2000, 'server to see the drop');
    await clock.advance(101_000); // the token expires during the grace period
    expect(await core.sessions.get(APP_ID, 'alice')).toBeNull();

    await waitFor(() => expired.count === 1, 3000, 'TokenExpired');
    expect(alice.connectionState).toBe('RECONNECTING');
    expect(states).toEqual(['CONNECTING/LOGIN', 'CONNECTED/LOGIN_SUCCESS', 'RECONNECTING/INTERRUPTED']);

    await alice.renewToken(token('alice', 3600));
    await waitFor(() => alice.connectionState === 'CONNECTED', 3000, 'CONNECTED');
    expect(states.at(-1)).toBe('CONNECTED/LOGIN_SUCCESS');
    expect((await core.sessions.get(APP_ID, 'alice'))?.connected).toBe(true);
  });
});

describe('renewToken errors', () => {
  it('answers each misuse with its RenewTokenError code', async () => {
    server = await startServer({ port: 0, logger: false, apps: [{ appId: APP_ID, appCertificate: CERT }] });
    const alice = track(AgoraRTM.createInstance(APP_ID, { serverUrl: server.url, ...quiet }));
    await expect(alice.renewToken(token('alice', 100))).rejects.toMatchObject({ code: RenewTokenError.RENEW_TOKEN_ERR_USER_NOT_LOGGED_IN });
    await alice.login({ uid: 'alice', token: token('alice', 100) });
    await expect(alice.renewToken('')).rejects.toMatchObject({ code: RenewTokenError.RENEW_TOKEN_ERR_INVALID_ARGUMENT });
    await expect(alice.renewToken(5 as unknown as string)).rejects.toMatchObject({ code: RenewTokenError.RENEW_TOKEN_ERR_INVALID_ARGUMENT });
    await expect(alice.renewToken('garbage')).rejects.toMatchObject({ code: RenewTokenError.RENEW_TOKEN_ERR_INVALID_TOKEN });
    await new Promise((r) => setTimeout(r, 1_050));
    await expect(alice.renewToken(token('mallory', 100))).rejects.toMatchObject({ code: RenewTokenError.RENEW_TOKEN_ERR_INVALID_TOKEN });
    await expect(alice.renewToken(RtmTokenBuilder.buildToken(APP_ID, CERT, 'alice', 0))).rejects.toMatchObject({
      code: RenewTokenError.RENEW_TOKEN_ERR_TOKEN_EXPIRED,
    });
    await expect(alice.renewToken(token('alice', 100))).rejects.toMatchObject({ code: RenewTokenError.RENEW_TOKEN_ERR_TOO_OFTEN });
    expect(alice.connectionState).toBe('CONNECTED');
  });

  it('refuses renewToken in ABORTED with USER_NOT_LOGGED_IN instead of hanging', async () => {
    server = await startServer({ port: 0, logger: false });
    const a = track(AgoraRTM.createInstance(APP_ID, { serverUrl: server.url, ...quiet }));
    const b = track(AgoraRTM.createInstance(APP_ID, { serverUrl: server.url, ...quiet }));
    await a.login({ uid: 'same' });
    await b.login({ uid: 'same' });
    await waitFor(() => a.connectionState === 'ABORTED');
    await expect(a.renewToken('anything')).rejects.toMatchObject({ code: RenewTokenError.RENEW_TOKEN_ERR_USER_NOT_LOGGED_IN });
  });
});

describe('interruptions and the grace period', () => {
  it('resumes the same session silently when the connection is back within 4 s', async () => {
    server = await startServer({ port: 0, logger: false });
    const tap = tappedTransport();
    const alice = track(AgoraRTM.createInstance(APP_ID, { serverUrl: server.url, ...quiet, transport: tap.transport, timing: { reconnectDelayMs: 20 } }));
    const states = recordStates(alice);
    await alice.login({ uid: 'alice' });
    const before = await server.core.sessions.get(APP_ID, 'alice');

    tap.drop();
    await waitFor(async () => (await server!.core.sessions.get(APP_ID, 'alice'))?.epoch === (before?.epoch ?? 0) + 1, 3000, 'resume');
    const after = await server.core.sessions.get(APP_ID, 'alice');
    expect(after?.sessionId).toBe(before?.sessionId);
    expect(after?.connected).toBe(true);
    expect(states).toEqual(['CONNECTING/LOGIN', 'CONNECTED/LOGIN_SUCCESS']);
  });

  it('reports RECONNECTING/INTERRUPTED then CONNECTED/LOGIN_SUCCESS when the interruption lasts', async () => {
    server = await startServer({ port: 0, logger: false });
    const tap = tappedTransport();
    const alice = track(
      AgoraRTM.createInstance(APP_ID, {
        serverUrl: server.url,
        ...quiet,
        transport: tap.transport,
        timing: { interruptionMs: 50, reconnectDelayMs: 300, reconnectDelayMaxMs: 300 },
      }),
    );
    const states = recordStates(alice);
    await alice.login({ uid: 'alice' });
    const sessionId = (await server.core.sessions.get(APP_ID, 'alice'))?.sessionId;
    tap.drop();
    await waitFor(() => states.length === 4, 3000, 'reconnected');
    expect(states).toEqual(['CONNECTING/LOGIN', 'CONNECTED/LOGIN_SUCCESS', 'RECONNECTING/INTERRUPTED', 'CONNECTED/LOGIN_SUCCESS']);
    expect((await server.core.sessions.get(APP_ID, 'alice'))?.sessionId).toBe(sessionId);
  });

  it('ends the session after the grace period (fake clock); a later reconnect logs in afresh', async () => {
    const clock = createManualClock();
    server = await startServer({ port: 0, logger: false, clock });
    const tap = tappedTransport();
    const alice = track(
      AgoraRTM.createInstance(APP_ID, {
        serverUrl: server.url,
        ...quiet,
        transport: tap.transport,
        timing: { interruptionMs: 0, reconnectDelayMs: 400, reconnectDelayMaxMs: 400 },
      }),
    );
    const states = recordStates(alice);
    await alice.login({ uid: 'alice' });
    const core = server.core;
    const first = await core.sessions.get(APP_ID, 'alice');

    tap.drop();
    await waitFor(async () => (await core.sessions.get(APP_ID, 'alice'))?.connected === false, 2000, 'server to see the drop');
    await clock.advance(29_999);
    expect((await core.sessions.get(APP_ID, 'alice'))?.sessionId).toBe(first?.sessionId);
    await clock.advance(1);
    expect(await core.sessions.get(APP_ID, 'alice')).toBeNull();

    await waitFor(() => states.at(-1) === 'CONNECTED/LOGIN_SUCCESS' && states.length === 4, 3000, 'fresh login');
    const second = await core.sessions.get(APP_ID, 'alice');
    expect(second?.sessionId).not.toBe(first?.sessionId);
    expect(states).toEqual(['CONNECTING/LOGIN', 'CONNECTED/LOGIN_SUCCESS', 'RECONNECTING/INTERRUPTED', 'CONNECTED/LOGIN_SUCCESS']);
  });

  it('ends the session after a shortened real-time grace period', async () => {
    server = await startServer({ port: 0, logger: false, timing: { presenceGraceMs: 300 } });
    const tap = tappedTransport();
    const alice = track(
      AgoraRTM.createInstance(APP_ID, { serverUrl: server.url, ...quiet, transport: tap.transport, timing: { reconnectDelayMs: 1500, reconnectDelayMaxMs: 1500 } }),
    );
    await alice.login({ uid: 'alice' });
    const first = await server.core.sessions.get(APP_ID, 'alice');
    tap.drop();
    const t0 = Date.now();
    await waitFor(async () => (await server!.core.sessions.get(APP_ID, 'alice')) === null, 1400, 'session to end');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    await waitFor(async () => (await server!.core.sessions.get(APP_ID, 'alice'))?.connected === true, 4000, 'fresh login');
    expect((await server.core.sessions.get(APP_ID, 'alice'))?.sessionId).not.toBe(first?.sessionId);
  });

  it('sends TokenPrivilegeWillExpire and expires the session in real time with a short token', async () => {
    server = await startServer({ port: 0, logger: false, timing: { tokenWillExpireMs: 1_500 }, apps: [{ appId: APP_ID, appCertificate: CERT }] });
    const alice = track(AgoraRTM.createInstance(APP_ID, { serverUrl: server.url, ...quiet }));
    const events: string[] = [];
    alice.on('TokenPrivilegeWillExpire', () => events.push('will-expire'));
    alice.on('TokenExpired', () => events.push('expired'));
    alice.on('ConnectionStateChanged', (s, r) => events.push(`${s}/${r}`));
    await alice.login({ uid: 'alice', token: token('alice', 3) });
    await waitFor(() => events.includes('expired'), 12_000, 'expiry');
    expect(events).toEqual(['CONNECTING/LOGIN', 'CONNECTED/LOGIN_SUCCESS', 'will-expire', 'ABORTED/TOKEN_EXPIRED', 'expired']);
  });

  it('tells a client that comes back after a remote login that it was kicked (ABORTED/REMOTE_LOGIN)', async () => {
    server = await startServer({ port: 0, logger: false });
    const tap = tappedTransport();
    const first = track(
      AgoraRTM.createInstance(APP_ID, { serverUrl: server.url, ...quiet, transport: tap.transport, timing: { interruptionMs: 0, reconnectDelayMs: 500, reconnectDelayMaxMs: 500 } }),
    );
    const states = recordStates(first);
    await first.login({ uid: 'dora' });
    tap.drop();
    await waitFor(async () => (await server!.core.sessions.get(APP_ID, 'dora'))?.connected === false, 2000, 'drop');
    const second = track(AgoraRTM.createInstance(APP_ID, { serverUrl: server.url, ...quiet }));
    await second.login({ uid: 'dora' });
    await waitFor(() => states.at(-1) === 'ABORTED/REMOTE_LOGIN', 3000, 'ABORTED/REMOTE_LOGIN');
    expect(second.connectionState).toBe('CONNECTED');
  });

  it('ends a banned session with ABORTED/BANNED_BY_SERVER', async () => {
    server = await startServer({ port: 0, logger: false });
    const alice = track(AgoraRTM.createInstance(APP_ID, { serverUrl: server.url, ...quiet }));
    const states = recordStates(alice);
    await alice.login({ uid: 'alice' });
    expect(await server.core.sessions.ban(APP_ID, 'alice')).toBe(true);
    await waitFor(() => states.at(-1) === 'ABORTED/BANNED_BY_SERVER', 2000, 'ban');
    await alice.logout();
    expect(states.at(-1)).toBe('DISCONNECTED/LOGOUT');
  });

  it('logs in again by itself after a server restart with the memory store', async () => {
    const first = await startServer({ port: 0, logger: false });
    const port = first.port;
    const alice = track(
      AgoraRTM.createInstance(APP_ID, { serverUrl: first.url, ...quiet, timing: { interruptionMs: 0, reconnectDelayMs: 100, reconnectDelayMaxMs: 200 } }),
    );
    const states = recordStates(alice);
    await alice.login({ uid: 'alice' });
    await first.close();
    server = await startServer({ port, logger: false });
    await waitFor(() => states.length === 4, 5000, 'reconnect to the new server');
    expect(states).toEqual(['CONNECTING/LOGIN', 'CONNECTED/LOGIN_SUCCESS', 'RECONNECTING/INTERRUPTED', 'CONNECTED/LOGIN_SUCCESS']);
    expect((await server.core.sessions.get(APP_ID, 'alice'))?.connected).toBe(true);
  });

  it('logs out from RECONNECTING', async () => {
    const first = await startServer({ port: 0, logger: false });
    const alice = track(
      AgoraRTM.createInstance(APP_ID, { serverUrl: first.url, ...quiet, timing: { interruptionMs: 0, reconnectDelayMs: 100 } }),
    );
    const states = recordStates(alice);
    await alice.login({ uid: 'alice' });
    await first.close();
    await waitFor(() => alice.connectionState === 'RECONNECTING', 2000, 'RECONNECTING');
    await alice.logout();
    expect(states.slice(-2)).toEqual(['RECONNECTING/INTERRUPTED', 'DISCONNECTED/LOGOUT']);
  });
});
