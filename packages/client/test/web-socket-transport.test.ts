// @vitest-environment happy-dom
// The WebSocket-only socket.io client that browser bundles use, against the real server, over
// happy-dom's WebSocket (Node 20 has none of its own).
import { afterEach, describe, expect, it } from 'vitest';
import AgoraRTM, { webSocketTransport, type RtmClient, type RtmRawMessage } from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { RtmTokenBuilder } from 'agora-token';
import { APP_ID, CERT, recordStates, waitFor } from './helpers.js';

/** Every WebSocket the page opens, so a test can cut one as a network failure would. */
const opened: WebSocket[] = [];
const Native = globalThis.WebSocket;
globalThis.WebSocket = class extends Native {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols);
    opened.push(this);
  }
} as typeof WebSocket;

describe('webSocketTransport (the browser default)', () => {
  let server: RtmServer | null = null;
  const clients: RtmClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
    await server?.close();
    server = null;
  });
  const client = (url: string) => {
    const c = AgoraRTM.createInstance(APP_ID, { serverUrl: url, logFilter: AgoraRTM.LOG_FILTER_OFF, transport: webSocketTransport() });
    clients.push(c);
    return c;
  };

  it('carries requests, acknowledged deliveries and binary attachments both ways', async () => {
    server = await startServer({ port: 0, logger: false });
    const alice = client(server.url);
    const bob = client(server.url);
    await alice.login({ uid: 'alice' });
    await bob.login({ uid: 'bob' });
    const received: Array<[string | undefined, string]> = [];
    bob.on('MessageFromPeer', (m, from) => received.push([m.messageType, from]));
    expect(await alice.sendMessageToPeer({ text: 'hi' }, 'bob')).toEqual({ hasPeerReceived: true });
    let raw: RtmRawMessage | null = null;
    bob.on('MessageFromPeer', (m) => {
      if (m.messageType === 'RAW') raw = m;
    });
    await alice.sendMessageToPeer({ rawMessage: new Uint8Array([1, 2, 250]), description: 'bytes' }, 'bob');
    await waitFor(() => raw !== null);
    expect([...(raw as unknown as RtmRawMessage).rawMessage]).toEqual([1, 2, 250]);
    expect(received[0]).toEqual(['TEXT', 'alice']);
    const channel = alice.createChannel('lobby');
    await channel.join();
    expect(await channel.getMembers()).toEqual(['alice']);
    expect(await bob.queryPeersOnlineStatus(['alice', 'carol'])).toEqual({ alice: true, carol: false });
  });

  it('reconnects by itself after a dropped connection and resumes the session', async () => {
    server = await startServer({ port: 0, logger: false });
    const alice = client(server.url);
    const bob = client(server.url);
    await alice.login({ uid: 'alice' });
    await bob.login({ uid: 'bob' });
    const before = opened.length;
    opened.at(-2)?.close(); // alice's
    expect(await alice.sendMessageToPeer({ text: 'across the drop' }, 'bob')).toEqual({ hasPeerReceived: true });
    expect(opened.length).toBeGreaterThan(before);
    expect(alice.connectionState).toBe('CONNECTED');
  });

  it('reports a refused handshake as the login error and a server-side end as ABORTED', async () => {
    server = await startServer({ port: 0, logger: false, apps: [{ appId: APP_ID, appCertificate: CERT }] });
    const token = (uid: string) => RtmTokenBuilder.buildToken(APP_ID, CERT, uid, 3600);
    const refused = client(server.url);
    await expect(refused.login({ uid: 'alice', token: 'not-a-token' })).rejects.toMatchObject({ code: 5 });
    const first = client(server.url);
    const states = recordStates(first);
    await first.login({ uid: 'bob', token: token('bob') });
    await client(server.url).login({ uid: 'bob', token: token('bob') });
    await waitFor(() => states.includes('ABORTED/REMOTE_LOGIN'));
  });
});
