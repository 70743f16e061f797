import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import AgoraRTM, { RtmErrorCode, type MediaOperationProgress, type RtmClient } from '@rtm-kit/client';
import type { ClientTiming } from '@rtm-kit/protocol';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { createManualClock, type ManualClock } from '@rtm-kit/server/testing';
import { APP_ID, waitFor } from './helpers.js';
import { bytesOf, plain, sameBytes } from './media-files.js';
import { directTransport, startMediaProxy, type MediaProxy } from './media-proxy.js';

const quiet = { logFilter: AgoraRTM.LOG_FILTER_OFF };
const { UploadMediaError, DownloadMediaError } = RtmErrorCode;
const KB = 1024;

describe('media transfers: progress, cancellation, stalls and broken connections', () => {
  let server: RtmServer;
  let proxy: MediaProxy;
  let dir: string;
  const clients: RtmClient[] = [];
  /** A client whose media requests cross the proxy; its socket.io connection does not. */
  const loggedIn = async (uid: string, timing: Partial<ClientTiming> = {}) => {
    const c = AgoraRTM.createInstance(APP_ID, { serverUrl: proxy.url, transport: directTransport(server.url), timing, ...quiet });
    clients.push(c);
    await c.login({ uid });
    return c;
  };
  const uploadsLeft = () => readdir(join(dir, 'uploads'));

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rtm-media-transfer-'));
    // Small chunks, so an upload of a few hundred KB takes many requests.
    server = await startServer({ port: 0, logger: false, mediaDir: dir, limits: { mediaChunkMaxBytes: 64 * KB } });
    proxy = await startMediaProxy(server.url);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
    await proxy.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reports upload and download progress as bytes move, ending at the total', async () => {
    const alice = await loggedIn('alice', { mediaProgressIntervalMs: 0 });
    const bytes = plain(1024 * KB);
    const up: MediaOperationProgress[] = [];
    const message = await alice.createMediaMessageByUploading(new Blob([bytes]), {}, { onOperationProgress: (p) => up.push(p) });
    expect(up.length).toBe(16); // one per 64 KB chunk the server confirmed
    expect(up.every((p, i) => p.totalSize === bytes.length && p.currentSize === (i + 1) * 64 * KB)).toBe(true);

    const down: MediaOperationProgress[] = [];
    const blob = await alice.downloadMedia(message.mediaId, { onOperationProgress: (p) => down.push(p) });
    expect(sameBytes(await bytesOf(blob), bytes)).toBe(true);
    expect(down.length).toBeGreaterThan(1);
    expect(down.every((p, i) => p.totalSize === bytes.length && (i === 0 || p.currentSize > (down[i - 1] as MediaOperationProgress).currentSize))).toBe(true);
    expect(down.at(-1)).toEqual({ currentSize: bytes.length, totalSize: bytes.length });
  });

  it('keeps going when a progress listener throws', async () => {
    const alice = await loggedIn('alice', { mediaProgressIntervalMs: 0 });
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      const message = await alice.createMediaMessageByUploading(new Blob([plain(200 * KB)]), {}, {
        onOperationProgress: () => {
          throw new Error('app bug');
        },
      });
      expect(message.size).toBe(200 * KB);
    } finally {
      console.error = original;
    }
    expect(errors.length).toBeGreaterThan(0);
  });

  it('cancels an upload mid-way with UPLOAD_MEDIA_ERR_INTERRUPTED (6); the server keeps nothing', async () => {
    const alice = await loggedIn('alice', { mediaProgressIntervalMs: 0 });
    const cancel = new AbortController();
    const seen: MediaOperationProgress[] = [];
    const upload = alice.createMediaMessageByUploading(new Blob([plain(1024 * KB)]), {}, {
      cancelSignal: cancel.signal,
      onOperationProgress: (p) => {
        seen.push(p);
        if (p.currentSize >= 256 * KB) cancel.abort();
      },
    });
    await expect(upload).rejects.toMatchObject({ code: UploadMediaError.UPLOAD_MEDIA_ERR_INTERRUPTED });
    expect(seen.at(-1)?.currentSize).toBe(256 * KB);
    await waitFor(async () => (await uploadsLeft()).length === 0, 5_000, 'the server to drop the upload');
    // The slot is free again.
    await expect(alice.createMediaMessageByUploading(new Blob([plain(10)]))).resolves.toMatchObject({ size: 10 });
  });

  it('cancels a download mid-way with DOWNLOAD_MEDIA_ERR_INTERRUPTED (6)', async () => {
    const alice = await loggedIn('alice', { mediaProgressIntervalMs: 0 });
    const message = await alice.createMediaMessageByUploading(new Blob([plain(4096 * KB)]));
    const cancel = new AbortController();
    let last = 0;
    const download = alice.downloadMedia(message.mediaId, {
      cancelSignal: cancel.signal,
      onOperationProgress: (p) => {
        last = p.currentSize;
        cancel.abort();
      },
    });
    await expect(download).rejects.toMatchObject({ code: DownloadMediaError.DOWNLOAD_MEDIA_ERR_INTERRUPTED });
    expect(last).toBeGreaterThan(0);
    expect(last).toBeLessThan(4096 * KB);
  });

  it('rejects at once with INTERRUPTED when the signal is already aborted, sending nothing', async () => {
    const alice = await loggedIn('alice');
    const aborted = AbortSignal.abort();
    await expect(alice.createMediaMessageByUploading(new Blob([plain(100)]), {}, { cancelSignal: aborted })).rejects.toMatchObject({ code: 6 });
    await expect(alice.downloadMedia('A'.repeat(32), { cancelSignal: aborted })).rejects.toMatchObject({ code: 6 });
    expect(await uploadsLeft()).toEqual([]);
  });

  it('fails with TIMEOUT (3) when no bytes move for mediaStallTimeoutMs', async () => {
    const alice = await loggedIn('alice', { mediaStallTimeoutMs: 300 });
    const message = await alice.createMediaMessageByUploading(new Blob([plain(512 * KB)]));
    proxy.set({ kind: 'stall' });
    await expect(alice.createMediaMessageByUploading(new Blob([plain(512 * KB)]))).rejects.toMatchObject({
      code: UploadMediaError.UPLOAD_MEDIA_ERR_TIMEOUT,
      name: 'RtmTimeoutError',
    });
    await expect(alice.downloadMedia(message.mediaId)).rejects.toMatchObject({ code: DownloadMediaError.DOWNLOAD_MEDIA_ERR_TIMEOUT });
  });

  it('fails with FAILURE (1) when the connection breaks in the middle of a download', async () => {
    const alice = await loggedIn('alice');
    const message = await alice.createMediaMessageByUploading(new Blob([plain(2048 * KB)]));
    proxy.set({ kind: 'cut', afterBytes: 300 * KB });
    await expect(alice.downloadMedia(message.mediaId)).rejects.toMatchObject({ code: DownloadMediaError.DOWNLOAD_MEDIA_ERR_FAILURE });
    proxy.set({ kind: 'pass' });
    expect((await alice.downloadMedia(message.mediaId)).size).toBe(2048 * KB);
  });

  it('fails with FAILURE (1) when the connection breaks in the middle of an upload, leaving nothing', async () => {
    const alice = await loggedIn('alice', { mediaProgressIntervalMs: 0 });
    const seen: MediaOperationProgress[] = [];
    // The server's answers to the first chunks get through, then the connection breaks.
    proxy.set({ kind: 'cut', afterBytes: 1_000 });
    await expect(
      alice.createMediaMessageByUploading(new Blob([plain(1024 * KB)]), {}, { onOperationProgress: (p) => seen.push(p) }),
    ).rejects.toMatchObject({ code: UploadMediaError.UPLOAD_MEDIA_ERR_FAILURE, name: 'RtmUnavailableError' });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.at(-1)?.currentSize).toBeLessThan(1024 * KB);
    proxy.set({ kind: 'pass' });
    await waitFor(async () => (await uploadsLeft()).length === 0, 5_000, 'the cut upload to go');
  });

  it('stops transfers in flight with NOT_LOGGED_IN (102) on logout', async () => {
    const alice = await loggedIn('alice');
    const message = await alice.createMediaMessageByUploading(new Blob([plain(256 * KB)]));
    proxy.set({ kind: 'stall' });
    const upload = alice.createMediaMessageByUploading(new Blob([plain(256 * KB)]));
    const download = alice.downloadMedia(message.mediaId);
    // The upload has started on the server; its answer hangs in the network.
    await waitFor(async () => (await uploadsLeft()).length === 1, 5_000, 'the upload to start');
    await alice.logout();
    await expect(upload).rejects.toMatchObject({ code: UploadMediaError.UPLOAD_MEDIA_ERR_NOT_LOGGED_IN });
    await expect(download).rejects.toMatchObject({ code: DownloadMediaError.DOWNLOAD_MEDIA_ERR_NOT_LOGGED_IN });
    // The session is over, so the server drops the upload it can no longer finish.
    await waitFor(async () => (await uploadsLeft()).length === 0, 5_000, 'the server to drop the upload');
  });

  it('reports progress about once a second on a slow link (real time)', async () => {
    const alice = await loggedIn('alice');
    await server.close();
    await proxy.close();
    // The default chunk limit, so chunk sizes follow the link speed.
    server = await startServer({ port: 0, logger: false, mediaDir: dir });
    proxy = await startMediaProxy(server.url);
    const bob = await loggedIn('bob');
    clients.splice(clients.indexOf(alice), 1);
    proxy.set({ kind: 'throttle', bytesPerSecond: 1024 * KB });
    const bytes = plain(2200 * KB);
    const stamps: Array<{ at: number; p: MediaOperationProgress }> = [];
    const record = (p: MediaOperationProgress) => stamps.push({ at: Date.now(), p });

    const started = Date.now();
    const message = await bob.createMediaMessageByUploading(new Blob([bytes]), {}, { onOperationProgress: record });
    checkCadence(stamps, started, bytes.length);

    stamps.length = 0;
    const downloadStarted = Date.now();
    const blob = await bob.downloadMedia(message.mediaId, { onOperationProgress: record });
    expect(sameBytes(await bytesOf(blob), bytes)).toBe(true);
    checkCadence(stamps, downloadStarted, bytes.length);
  }, 30_000);
});

/** 2.2 MB at 1 MB/s: reports near each second, none closer than ~1 s, the last at the total. */
function checkCadence(stamps: Array<{ at: number; p: MediaOperationProgress }>, started: number, total: number): void {
  expect(stamps.at(-1)?.p).toEqual({ currentSize: total, totalSize: total });
  const beforeLast = stamps.slice(0, -1);
  expect(beforeLast.length).toBeGreaterThanOrEqual(1);
  expect(beforeLast.length).toBeLessThanOrEqual(4);
  let previous = started;
  for (const { at, p } of beforeLast) {
    expect(at - previous).toBeGreaterThanOrEqual(950);
    expect(p.currentSize).toBeLessThan(total);
    previous = at;
  }
}

describe('media expiry seen through the client', () => {
  let server: RtmServer;
  let clock: ManualClock;
  const clients: RtmClient[] = [];

  beforeEach(async () => {
    clock = createManualClock();
    server = await startServer({ port: 0, logger: false, clock });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
    await server.close();
  });

  it('a media ID older than 7 days is gone: DOWNLOAD_MEDIA_ERR_NOT_EXIST (4)', async () => {
    const alice = AgoraRTM.createInstance(APP_ID, { serverUrl: server.url, ...quiet });
    clients.push(alice);
    await alice.login({ uid: 'alice' });
    const message = await alice.createMediaMessageByUploading(new Blob([plain(1000)]));
    await clock.advance(6 * 24 * 3_600_000);
    expect((await alice.downloadMedia(message.mediaId)).size).toBe(1000);
    await clock.advance(24 * 3_600_000);
    await expect(alice.downloadMedia(message.mediaId)).rejects.toMatchObject({ code: DownloadMediaError.DOWNLOAD_MEDIA_ERR_NOT_EXIST });
  });
});
