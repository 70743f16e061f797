import { afterEach, describe, expect, it } from 'vitest';
import { RtmTokenBuilder } from 'agora-token';
import AgoraRTM, { RtmErrorCode, type RtmClient } from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { createManualClock } from '@rtm-kit/server/testing';
import type { RtmStore } from '@rtm-kit/store';
import { APP_ID, CERT, loginAs, makeStore, sleep, waitFor } from './helpers.js';

let server: RtmServer | null = null;
const clients: RtmClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
  await server?.close();
  server = null;
});

function open(url: string, options: Parameters<typeof makeStore>[1] = {}): RtmStore {
  const made = makeStore(url, options);
  clients.push(made.client);
  return made.store;
}

/** Every connection state the store showed, as "STATE/REASON@uid". */
function history(store: RtmStore): string[] {
  const seen: string[] = [];
  store.subscribe((s, prev) => {
    if (s.connection !== prev.connection && (s.connection.state !== prev.connection.state || s.connection.reason !== prev.connection.reason)) {
      seen.push(`${s.connection.state}/${s.connection.reason}@${s.connection.uid ?? '-'}`);
    }
  });
  return seen;
}

describe('the session as a lease', () => {
  it('logs in while held and out after the last release, after the release delay', async () => {
    server = await startServer({ port: 0, logger: false });
    const store = open(server.url);
    const seen = history(store);
    const release = await loginAs(store, 'alice');
    expect(seen).toEqual(['CONNECTING/LOGIN@alice', 'CONNECTED/LOGIN_SUCCESS@alice']);
    expect((await server.core.sessions.get(APP_ID, 'alice'))?.connected).toBe(true);

    release();
    release(); // idempotent
    expect(store.getState().connection.state).toBe('CONNECTED'); // deferred
    await waitFor(() => store.getState().connection.state === 'DISCONNECTED', 3_000, 'logout');
    expect(seen.at(-1)).toBe('DISCONNECTED/LOGOUT@-');
    expect(await server.core.sessions.get(APP_ID, 'alice')).toBeNull();
  });

  it('does not log out when the session is released and taken again at once (Strict Mode)', async () => {
    server = await startServer({ port: 0, logger: false });
    const store = open(server.url);
    const seen = history(store);
    const first = store.getState().acquireSession({ uid: 'alice' });
    first();
    const second = store.getState().acquireSession({ uid: 'alice' });
    await waitFor(() => store.getState().connection.state === 'CONNECTED');
    await sleep(300);
    expect(seen).toEqual(['CONNECTING/LOGIN@alice', 'CONNECTED/LOGIN_SUCCESS@alice']);
    second();
    await waitFor(() => store.getState().connection.state === 'DISCONNECTED');
  });

  it('switches users when a request for another uid comes: logout, then login', async () => {
    server = await startServer({ port: 0, logger: false });
    const store = open(server.url);
    const seen = history(store);
    const alice = await loginAs(store, 'alice');
    const bob = store.getState().acquireSession({ uid: 'bob' });
    alice();
    await waitFor(() => store.getState().connection.uid === 'bob' && store.getState().connection.state === 'CONNECTED', 5_000, 'bob');
    expect(seen).toEqual([
      'CONNECTING/LOGIN@alice',
      'CONNECTED/LOGIN_SUCCESS@alice',
      'DISCONNECTED/LOGOUT@-',
      'CONNECTING/LOGIN@bob',
      'CONNECTED/LOGIN_SUCCESS@bob',
    ]);
    expect(await server.core.sessions.get(APP_ID, 'alice')).toBeNull();
    expect((await server.core.sessions.get(APP_ID, 'bob'))?.connected).toBe(true);
    bob();
  });

  it('reports a failed login as data and does not retry it until the request changes', async () => {
    server = await startServer({ port: 0, logger: false });
    const store = open(server.url);
    const bad = store.getState().acquireSession({ uid: 'not/valid' });
    await waitFor(() => store.getState().connection.error !== null);
    expect(store.getState().connection.error).toMatchObject({ code: RtmErrorCode.LoginError.LOGIN_ERR_INVALID_ARGUMENT });
    expect(store.getState().connection.state).toBe('DISCONNECTED');
    bad();
    const good = store.getState().acquireSession({ uid: 'alice' });
    await waitFor(() => store.getState().connection.state === 'CONNECTED');
    expect(store.getState().connection.error).toBeNull();
    good();
  });

  it('stays ABORTED after a remote login instead of kicking the other session back', async () => {
    server = await startServer({ port: 0, logger: false });
    const store = open(server.url);
    const release = await loginAs(store, 'alice');
    const other = AgoraRTM.createInstance(APP_ID, { serverUrl: server.url, logFilter: AgoraRTM.LOG_FILTER_OFF });
    clients.push(other);
    await other.login({ uid: 'alice' });
    await waitFor(() => store.getState().connection.state === 'ABORTED');
    expect(store.getState().connection.reason).toBe('REMOTE_LOGIN');
    await sleep(700);
    expect(store.getState().connection.state).toBe('ABORTED');
    expect(other.connectionState).toBe('CONNECTED');
    release();
    await waitFor(() => store.getState().connection.state === 'DISCONNECTED');
    expect(other.connectionState).toBe('CONNECTED');
  });
});

describe('tokens', () => {
  const token = (uid: string, seconds: number) => RtmTokenBuilder.buildToken(APP_ID, CERT, uid, seconds);

  it('calls a token function for the login and again on TokenPrivilegeWillExpire, and renews', async () => {
    const clock = createManualClock();
    server = await startServer({ port: 0, logger: false, clock, apps: [{ appId: APP_ID, appCertificate: CERT }] });
    const store = open(server.url);
    const seen = history(store);
    const issued: number[] = [];
    const source = async () => {
      issued.push(issued.length === 0 ? 100 : 1_000);
      return token('alice', issued.at(-1) as number);
    };
    const release = store.getState().acquireSession({ uid: 'alice', token: source });
    await waitFor(() => store.getState().connection.state === 'CONNECTED');
    expect(issued).toEqual([100]);

    await clock.advance(71_000); // 29 s left: the server warns
    await waitFor(() => issued.length === 2, 3_000, 'token function called again');
    await sleep(200); // let renewToken reach the server
    await clock.advance(60_000); // past the first token's expiry
    await sleep(200);
    // Renewed in place: the session never ended (no ABORTED, no second login).
    expect(seen).toEqual(['CONNECTING/LOGIN@alice', 'CONNECTED/LOGIN_SUCCESS@alice']);
    expect(store.getState().connection.error).toBeNull();
    release();
  });

  it('renews with a new string token for the same user', async () => {
    const clock = createManualClock();
    server = await startServer({ port: 0, logger: false, clock, apps: [{ appId: APP_ID, appCertificate: CERT }] });
    const store = open(server.url);
    const seen = history(store);
    const first = store.getState().acquireSession({ uid: 'alice', token: token('alice', 100) });
    await waitFor(() => store.getState().connection.state === 'CONNECTED');
    const second = store.getState().acquireSession({ uid: 'alice', token: token('alice', 1_000) });
    first();
    await sleep(300);
    await clock.advance(130_000);
    await sleep(200);
    expect(seen).toEqual(['CONNECTING/LOGIN@alice', 'CONNECTED/LOGIN_SUCCESS@alice']);
    second();
  });

  it('records a login refused for a bad token as the connection error', async () => {
    server = await startServer({ port: 0, logger: false, apps: [{ appId: APP_ID, appCertificate: CERT }] });
    const store = open(server.url);
    const release = store.getState().acquireSession({ uid: 'alice', token: token('bob', 100) });
    await waitFor(() => store.getState().connection.error !== null);
    expect(store.getState().connection).toMatchObject({ state: 'DISCONNECTED', reason: 'LOGIN_FAILURE' });
    expect(store.getState().connection.error?.code).toBe(RtmErrorCode.LoginError.LOGIN_ERR_INVALID_TOKEN);
    release();
  });
});
