import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import AgoraRTM, { socketIoTransport, type RtmClient, type Transport } from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { APP_ID } from './helpers.js';

/** The default transport, with sockets that route media requests through `fetch` (and record them). */
function transportWithFetch(calls: string[]): Transport {
  const inner = socketIoTransport();
  return (options) => {
    const socket = inner(options);
    return Object.assign(socket, {
      fetch(input: URL, init: RequestInit) {
        calls.push(`${init.method ?? 'GET'} ${input.pathname.replace(/[A-Za-z0-9_-]{32}/, '<id>')}`);
        return fetch(input, init);
      },
    });
  };
}

describe('a transport that carries media requests (TransportSocket.fetch)', () => {
  let server: RtmServer;
  const clients: RtmClient[] = [];
  const loggedIn = async (uid: string, transport: Transport) => {
    const client = AgoraRTM.createInstance(APP_ID, { serverUrl: server.url, transport, logFilter: AgoraRTM.LOG_FILTER_OFF });
    clients.push(client);
    await client.login({ uid });
    return client;
  };

  beforeEach(async () => {
    server = await startServer({ port: 0, logger: false });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
    await server.close();
  });

  it('gets every upload and download request, with the session and the request itself', async () => {
    const aliceCalls: string[] = [];
    const bobCalls: string[] = [];
    const alice = await loggedIn('alice', transportWithFetch(aliceCalls));
    const bob = await loggedIn('bob', transportWithFetch(bobCalls));
    const bytes = new TextEncoder().encode('%PDF-1.4 a small document');
    const message = await alice.createMediaMessageByUploading(new Blob([bytes]), { fileName: 'a.pdf', messageType: 'FILE' });
    expect(aliceCalls).toEqual(['POST /media/uploads', 'PUT /media/uploads/<id>']);
    const blob = await bob.downloadMedia((message as { mediaId: string }).mediaId);
    expect(bobCalls).toEqual(['GET /media/<id>']);
    expect(blob.type).toBe('application/pdf');
    expect(new TextDecoder().decode(await blob.arrayBuffer())).toBe('%PDF-1.4 a small document');
  });

  it('also gets the cancel of a stopped upload', async () => {
    const calls: string[] = [];
    const alice = await loggedIn('alice', transportWithFetch(calls));
    const cancel = new AbortController();
    // Stopped on the first chunk's way out: the client then tells the server to drop the upload.
    const upload = alice.createMediaMessageByUploading(new Blob([new Uint8Array(2 * 1024 * 1024)]), { messageType: 'FILE' }, {
      cancelSignal: cancel.signal,
      onOperationProgress: () => undefined,
    });
    for (let i = 0; i < 200 && !calls.some((c) => c.startsWith('PUT')); i++) await new Promise((r) => setTimeout(r, 5));
    cancel.abort();
    await expect(upload).rejects.toThrow(/cancel/i);
    for (let i = 0; i < 200 && !calls.some((c) => c.startsWith('DELETE')); i++) await new Promise((r) => setTimeout(r, 5));
    expect(calls[0]).toBe('POST /media/uploads');
    expect(calls).toContain('DELETE /media/uploads/<id>');
  });
});
