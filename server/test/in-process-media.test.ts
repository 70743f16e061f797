import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import AgoraRTM, { type RtmClient } from '@rtm-kit/client';
import { MEDIA_HTTP } from '@rtm-kit/protocol';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { createInProcessServer, MemoryMediaStorage, type InProcessServer } from '@rtm-kit/server/in-process';
import { describeMediaStorageContract } from './media-storage.contract.js';

const APP_ID = '0123456789abcdef0123456789abcdef';
const H = MEDIA_HTTP.headers;

describe('MemoryMediaStorage', () => {
  describeMediaStorageContract(async () => {
    const storage = new MemoryMediaStorage();
    await storage.init();
    return storage;
  });

  it('keeps its own copy of the bytes and hands out copies', async () => {
    const storage = new MemoryMediaStorage();
    const id = (c: string) => c.repeat(32);
    await storage.beginUpload({ uploadId: id('u'), appId: APP_ID, uid: 'alice', size: 3, received: 0, startedAt: 1, touchedAt: 1 });
    const sent = new Uint8Array([1, 2, 3]);
    await storage.appendUpload(id('u'), 0, (async function* () {
      yield sent;
    })(), 2);
    sent[0] = 9;
    await storage.completeUpload(id('u'), { mediaId: id('m'), appId: APP_ID, uploaderUid: 'alice', size: 3, contentType: 'application/octet-stream', createdAt: 2, expiresAt: 10 });
    const read = async () => {
      const parts: number[] = [];
      for await (const piece of (await storage.readMedia(id('m'))) ?? []) parts.push(...piece);
      return parts;
    };
    expect(await read()).toEqual([1, 2, 3]);
    for await (const piece of (await storage.readMedia(id('m'))) ?? []) piece[0] = 7;
    expect(await read()).toEqual([1, 2, 3]);
  });

  it('counts the bytes each user holds from an upload start, and frees them on discard and delete', async () => {
    const storage = new MemoryMediaStorage();
    const quota = { maxUserBytes: 10, maxAppBytes: 100 };
    const upload = (c: string, size: number) => ({ uploadId: c.repeat(32), appId: APP_ID, uid: 'alice', size, received: 0, startedAt: 1, touchedAt: 1 });
    expect(await storage.beginUpload(upload('a', 6), quota)).toEqual({ ok: true });
    expect(await storage.beginUpload(upload('b', 6), quota)).toEqual({ ok: false, over: 'user' });
    expect(storage.heldBytes()).toBe(6);
    await storage.discardUpload('a'.repeat(32));
    expect(storage.heldBytes()).toBe(0);
    expect(await storage.beginUpload(upload('b', 6), quota)).toEqual({ ok: true });
  });
});

/** A logged-in client, and the credentials of its session as media requests present them. */
async function session(clientConfig: object, core: InProcessServer['core'], uid: string): Promise<{ client: RtmClient; headers: Record<string, string> }> {
  const client = AgoraRTM.createInstance(APP_ID, { ...clientConfig, logFilter: AgoraRTM.LOG_FILTER_OFF });
  await client.login({ uid });
  const record = await core.sessions.get(APP_ID, uid);
  if (!record) throw new Error('no session');
  return { client, headers: { [H.appId]: APP_ID, [H.uid]: uid, [H.session]: record.sessionId } };
}

describe('media requests to the in-process server', () => {
  let kit: InProcessServer;
  let node: RtmServer;
  const clients: RtmClient[] = [];

  beforeEach(async () => {
    kit = await createInProcessServer({ logger: false });
    node = await startServer({ port: 0, logger: false });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
    await kit.close();
    await node.close();
  });

  it('are answered with the statuses and codes of the Node server', async () => {
    const inKit = await session(kit.clientConfig, kit.core, 'alice');
    const inNode = await session({ serverUrl: node.url }, node.core, 'alice');
    clients.push(inKit.client, inNode.client);
    const cases: Array<{ path: string; method: string; auth: boolean; headers?: Record<string, string> }> = [
      { path: MEDIA_HTTP.uploadsPath, method: 'POST', auth: false, headers: { [H.size]: '5' } },
      { path: `${MEDIA_HTTP.mediaPath}/${'A'.repeat(32)}`, method: 'GET', auth: false },
      { path: `${MEDIA_HTTP.mediaPath}/${'A'.repeat(32)}`, method: 'GET', auth: true },
      { path: `${MEDIA_HTTP.mediaPath}/not-an-id`, method: 'GET', auth: true },
      { path: MEDIA_HTTP.uploadsPath, method: 'POST', auth: true },
      { path: MEDIA_HTTP.uploadsPath, method: 'POST', auth: true, headers: { [H.size]: String(31 * 1024 * 1024) } },
      { path: MEDIA_HTTP.uploadsPath, method: 'PUT', auth: true, headers: { [H.size]: '5' } },
      { path: `${MEDIA_HTTP.uploadsPath}/${'B'.repeat(32)}`, method: 'PUT', auth: true, headers: { [H.offset]: '0' } },
      { path: `${MEDIA_HTTP.mediaPath}/${'A'.repeat(32)}`, method: 'DELETE', auth: true },
    ];
    for (const c of cases) {
      const answer = async (base: string, headers: Record<string, string>, send: typeof fetch) => {
        const response = await send(new URL(c.path, base), { method: c.method, headers: { ...(c.auth ? headers : {}), ...c.headers }, ...(c.method === 'PUT' ? { body: 'hello' } : {}) });
        const body = (await response.json()) as { ok: boolean; error?: { code: number; name: string } };
        return { status: response.status, ok: body.ok, code: body.error?.code, name: body.error?.name };
      };
      const fromNode = await answer(node.url, inNode.headers, fetch);
      const fromKit = await answer('http://anywhere.invalid', inKit.headers, kit.fetch);
      expect(fromKit, `${c.method} ${c.path}`).toEqual(fromNode);
      expect(fromKit.ok).toBe(false);
    }
  });

  it('stops an upload whose request is aborted mid-chunk, freeing its bytes', async () => {
    const storage = new MemoryMediaStorage();
    const server = await createInProcessServer({ logger: false, mediaStorage: storage });
    const alice = await session(server.clientConfig, server.core, 'alice');
    try {
      const start = await server.fetch(new URL(MEDIA_HTTP.uploadsPath, 'http://x.invalid'), { method: 'POST', headers: { ...alice.headers, [H.size]: '1000' } });
      const { data } = (await start.json()) as { data: { uploadId: string } };
      expect(storage.heldBytes()).toBe(1000);
      const abort = new AbortController();
      // A body that sends a little and then waits, as a slow network would.
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new Uint8Array(100));
        },
      });
      const put = server.fetch(new URL(`${MEDIA_HTTP.uploadsPath}/${data.uploadId}`, 'http://x.invalid'), {
        method: 'PUT',
        headers: { ...alice.headers, [H.offset]: '0' },
        body,
        signal: abort.signal,
        duplex: 'half',
      } as RequestInit);
      await new Promise((r) => setTimeout(r, 20));
      abort.abort();
      await expect(put).rejects.toMatchObject({ name: 'AbortError' });
      for (let i = 0; i < 100 && storage.heldBytes() > 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(storage.heldBytes()).toBe(0);
      expect(await storage.listUploads()).toEqual([]);
    } finally {
      await alice.client.logout();
      await server.close();
    }
  });

  it('goes through the client transport: no request reaches the global fetch', async () => {
    const calls: string[] = [];
    const original = globalThis.fetch;
    globalThis.fetch = ((input: RequestInfo | URL) => {
      calls.push(String(input));
      return Promise.reject(new Error('no network in this test'));
    }) as typeof fetch;
    try {
      const alice = await session(kit.clientConfig, kit.core, 'alice');
      const bob = await session(kit.clientConfig, kit.core, 'bob');
      clients.push(alice.client, bob.client);
      const image = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
      const message = await alice.client.createMediaMessageByUploading(new Blob([image]), { messageType: 'IMAGE', width: 1, height: 1 });
      expect(message).toMatchObject({ messageType: 'IMAGE', size: image.length });
      const blob = await bob.client.downloadMedia((message as { mediaId: string }).mediaId);
      expect(blob.type).toBe('image/png');
      expect([...new Uint8Array(await blob.arrayBuffer())]).toEqual([...image]);
      expect(calls).toEqual([]);
    } finally {
      globalThis.fetch = original;
    }
  });
});

describe('a slow link for media (mediaBytesPerSecond)', () => {
  it('moves an upload and its download at the given rate', async () => {
    const server = await createInProcessServer({ logger: false, mediaBytesPerSecond: 100_000 });
    const alice = AgoraRTM.createInstance(APP_ID, { ...server.clientConfig, logFilter: AgoraRTM.LOG_FILTER_OFF });
    try {
      await alice.login({ uid: 'alice' });
      const bytes = new Uint8Array(50_000).fill(7);
      const started = Date.now();
      const message = await alice.createMediaMessageByUploading(new Blob([bytes]), { messageType: 'FILE' });
      const uploadMs = Date.now() - started;
      expect(uploadMs).toBeGreaterThanOrEqual(450);
      const again = Date.now();
      const blob = await alice.downloadMedia((message as { mediaId: string }).mediaId);
      expect(Date.now() - again).toBeGreaterThanOrEqual(450);
      expect(blob.size).toBe(bytes.length);
    } finally {
      await alice.logout();
      await server.close();
    }
  });
});
