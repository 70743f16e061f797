import { afterEach, describe, expect, it } from 'vitest';
import type { AuthPayload } from '@rtm-kit/protocol';
import AgoraRTM, { socketIoTransport, type RtmClient, type Transport, type TransportSocket } from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { APP_ID, waitFor } from './helpers.js';

const quiet = { logFilter: AgoraRTM.LOG_FILTER_OFF };

/** socket.io transport that records the auth of every handshake and can rewrite it. */
function recordingTransport(rewrite: (auth: AuthPayload) => AuthPayload = (a) => a) {
  const auths: AuthPayload[] = [];
  const sockets: TransportSocket[] = [];
  const inner = socketIoTransport();
  const transport: Transport = (options) => {
    const socket = inner({
      ...options,
      auth: () => {
        const auth = rewrite(options.auth());
        auths.push(auth);
        return auth;
      },
    });
    sockets.push(socket);
    return socket;
  };
  const drop = () => (sockets.at(-1) as unknown as { io: { engine: { close(): void } } }).io.engine.close();
  return { transport, auths, drop };
}

describe('the client resumes with its session’s secret and keeps it out of media requests', () => {
  let server: RtmServer | null = null;
  const clients: RtmClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
    await server?.close();
    server = null;
  });
  const client = (transport: Transport) => {
    const c = AgoraRTM.createInstance(APP_ID, { serverUrl: server!.url, ...quiet, transport, timing: { reconnectDelayMs: 20, reconnectDelayMaxMs: 20 } });
    clients.push(c);
    return c;
  };

  it('presents the secret from session:ready when it reconnects, and resumes the same session', async () => {
    server = await startServer({ port: 0, logger: false });
    const tap = recordingTransport();
    const alice = client(tap.transport);
    await alice.login({ uid: 'alice' });
    const session = (await server.core.sessions.get(APP_ID, 'alice'))!;
    expect(tap.auths[0]).toMatchObject({ sessionId: null, resumeSecret: null });

    tap.drop();
    await waitFor(async () => (await server!.core.sessions.get(APP_ID, 'alice'))?.epoch === session.epoch + 1, 3_000, 'the resume');
    expect(tap.auths.at(-1)).toMatchObject({ sessionId: session.sessionId, resumeSecret: session.resumeSecret });
    expect((await server.core.sessions.get(APP_ID, 'alice'))?.sessionId).toBe(session.sessionId);
    expect(alice.connectionState).toBe('CONNECTED');
  });

  it('sends media requests with the session ID only, never the secret', async () => {
    server = await startServer({ port: 0, logger: false });
    const alice = client(recordingTransport().transport);
    await alice.login({ uid: 'alice' });
    const { sessionId, resumeSecret } = (await server.core.sessions.get(APP_ID, 'alice'))!;

    const seen: string[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = (input, init) => {
      seen.push(String(input), ...Object.entries((init?.headers ?? {}) as Record<string, string>).flat());
      return realFetch(input, init);
    };
    try {
      const message = await alice.createMediaMessageByUploading(new Blob([new Uint8Array([1, 2, 3])]));
      await alice.downloadMedia(message.mediaId);
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(seen).toContain(sessionId);
    expect(seen.some((s) => s.includes(resumeSecret))).toBe(false);
  });

  it('logs in afresh when the server will not let it resume (LOGIN_ERR_NOT_AUTHORIZED) instead of asking forever', async () => {
    server = await startServer({ port: 0, logger: false });
    let tamper = false;
    const tap = recordingTransport((auth) => (tamper ? { ...auth, resumeSecret: 'not-the-secret' } : auth));
    const alice = client(tap.transport);
    await alice.login({ uid: 'alice' });
    const first = (await server.core.sessions.get(APP_ID, 'alice'))!;

    tamper = true;
    tap.drop();
    await waitFor(async () => {
      const now = await server!.core.sessions.get(APP_ID, 'alice');
      return now !== null && now.sessionId !== first.sessionId && now.connected;
    }, 5_000, 'a fresh session');
    await waitFor(() => alice.connectionState === 'CONNECTED', 3_000, 'CONNECTED');
    const refusedResume = tap.auths.findIndex((a) => a.sessionId === first.sessionId);
    expect(refusedResume).toBeGreaterThan(0);
    expect(tap.auths.slice(refusedResume + 1).every((a) => a.sessionId === null)).toBe(true);
  });
});
