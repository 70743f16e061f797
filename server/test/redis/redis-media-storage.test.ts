import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { PendingUpload, StoredMedia } from '@rtm-kit/server/core';
import { RedisMediaStorage } from '../../src/stores/redis/media-storage.js';
import { describeMediaStorageContract } from '../media-storage.contract.js';
import { redisAvailable, redisUrl } from './redis-available.js';
import { keysOf } from './redis-test-store.js';

const APP = '0123456789abcdef0123456789abcdef';
const OTHER_APP = 'fedcba9876543210fedcba9876543210';
const NOW = 1_700_000_000_000;
const DAY = 86_400_000;
const id = (c: string) => c.repeat(32);

function upload(uploadId: string, size: number, extra: Partial<PendingUpload> = {}): PendingUpload {
  return { uploadId, appId: APP, uid: 'alice', size, received: 0, startedAt: NOW, touchedAt: NOW, ...extra };
}

function media(mediaId: string, size: number, extra: Partial<StoredMedia> = {}): StoredMedia {
  return { mediaId, appId: APP, uploaderUid: 'alice', size, contentType: 'application/octet-stream', createdAt: NOW, expiresAt: NOW + 7 * DAY, ...extra };
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

async function bytesOf(stream: AsyncIterable<Uint8Array> | null): Promise<{ bytes: Buffer; largest: number }> {
  if (!stream) throw new Error('no stream');
  const parts: Uint8Array[] = [];
  for await (const p of stream) parts.push(p);
  return { bytes: Buffer.concat(parts), largest: Math.max(0, ...parts.map((p) => p.byteLength)) };
}

describe.runIf(redisAvailable)('RedisMediaStorage', () => {
  const open: RedisMediaStorage[] = [];
  const prefixes: string[] = [];
  const inspector = new Redis(redisUrl, { lazyConnect: true });

  afterAll(() => inspector.disconnect());
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    for (const prefix of prefixes.splice(0)) {
      const keys = await keysOf(inspector, prefix);
      for (let i = 0; i < keys.length; i += 500) await inspector.unlink(...keys.slice(i, i + 500));
    }
  });

  /** A storage on a prefix of its own, or a second node's on the same prefix. */
  function storage(keyPrefix = `rtm-media-test:${randomUUID()}:`, options: { abandonedUploadMs?: number } = {}): RedisMediaStorage {
    if (!prefixes.includes(keyPrefix)) prefixes.push(keyPrefix);
    const s = new RedisMediaStorage({ url: redisUrl, keyPrefix, ...options });
    open.push(s);
    return s;
  }

  describeMediaStorageContract(async () => {
    const s = storage();
    await s.init();
    return s;
  });

  it('serves an upload begun on one node, written and completed on another, from the first', async () => {
    const prefix = `rtm-media-test:${randomUUID()}:`;
    const a = storage(prefix);
    const b = storage(prefix);
    const content = randomBytes(3 * 1024 * 1024 + 17);
    await a.beginUpload(upload(id('u'), content.byteLength));
    expect(await b.getUpload(id('u'))).toMatchObject({ uid: 'alice', size: content.byteLength, received: 0 });
    await b.appendUpload(id('u'), 0, once(content.subarray(0, 2_000_000)), NOW + 1);
    expect(await a.getUpload(id('u'))).toMatchObject({ received: 2_000_000, touchedAt: NOW + 1 });
    await a.appendUpload(id('u'), 2_000_000, once(content.subarray(2_000_000)), NOW + 2);
    await b.completeUpload(id('u'), media(id('m'), content.byteLength));
    expect(await a.listUploads()).toEqual([]);
    expect(await a.getMedia(id('m'))).toEqual(media(id('m'), content.byteLength));
    const read = await bytesOf(await a.readMedia(id('m')));
    expect(read.bytes.equals(content)).toBe(true);
    // Read in slices, never the whole file in one buffer.
    expect(read.largest).toBeLessThanOrEqual(512 * 1024);
  });

  it('shares the quotas between nodes, checked and reserved in one step', async () => {
    const prefix = `rtm-media-test:${randomUUID()}:`;
    const [a, b] = [storage(prefix), storage(prefix)];
    const quota = { maxUserBytes: 100, maxAppBytes: 150 };
    const starts = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).beginUpload(upload(`${'u'.repeat(31)}${i}`, 30), quota)),
    );
    expect(starts.filter((r) => r.ok)).toHaveLength(3);
    expect(starts.filter((r) => !r.ok)).toEqual(Array.from({ length: 7 }, () => ({ ok: false, over: 'user' })));
    expect(await b.beginUpload(upload(id('b'), 61, { uid: 'bob' }), quota)).toEqual({ ok: false, over: 'app' });
    expect(await b.beginUpload(upload(id('b'), 61, { uid: 'bob', appId: OTHER_APP }), quota)).toEqual({ ok: true });
    // A discard on one node gives the bytes back on the other.
    const held = (await a.listUploads()).filter((u) => u.appId === APP);
    expect(await b.discardUpload(held[0]!.uploadId)).toBe(true);
    expect(await a.beginUpload(upload(id('c'), 30), quota)).toEqual({ ok: true });
    expect(await a.beginUpload(upload(id('d'), 30), quota)).toEqual({ ok: false, over: 'user' });
  });

  it('lets one of two concurrent chunks at the same offset in, never both', async () => {
    const prefix = `rtm-media-test:${randomUUID()}:`;
    const [a, b] = [storage(prefix), storage(prefix)];
    await a.beginUpload(upload(id('u'), 8));
    const results = await Promise.allSettled([
      a.appendUpload(id('u'), 0, once(Buffer.from('aaaa')), NOW + 1),
      b.appendUpload(id('u'), 0, once(Buffer.from('bbbb')), NOW + 1),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await a.getUpload(id('u')))?.received).toBe(4);
    const head = Buffer.from(await b.readUploadHead(id('u'), 100)).toString();
    expect(['aaaa', 'bbbb']).toContain(head);
  });

  it('deletes media once when two nodes sweep it, and releases its bytes once', async () => {
    const prefix = `rtm-media-test:${randomUUID()}:`;
    const [a, b] = [storage(prefix), storage(prefix)];
    const quota = { maxUserBytes: 10, maxAppBytes: 100 };
    await a.beginUpload(upload(id('u'), 6), quota);
    await a.appendUpload(id('u'), 0, once(Buffer.from('abcdef')), NOW);
    await a.completeUpload(id('u'), media(id('m'), 6, { expiresAt: NOW + 1_000 }));
    await a.beginUpload(upload(id('v'), 4), quota);
    expect((await b.listExpiredMedia(NOW + 999)).map((m) => m.mediaId)).toEqual([]);
    const [onA, onB] = await Promise.all([a.listExpiredMedia(NOW + 1_000), b.listExpiredMedia(NOW + 1_000)]);
    expect(onA.map((m) => m.mediaId)).toEqual([id('m')]);
    const deleted = await Promise.all([a.deleteMedia(id('m')), b.deleteMedia(id('m')), ...onB.map((m) => b.deleteMedia(m.mediaId))]);
    expect(deleted.filter(Boolean)).toHaveLength(1);
    expect(await b.readMedia(id('m'))).toBeNull();
    // 6 bytes back, once: the 4-byte upload still holds its own.
    expect(await b.beginUpload(upload(id('w'), 6), quota)).toEqual({ ok: true });
    expect(await b.beginUpload(upload(id('x'), 1), quota)).toEqual({ ok: false, over: 'user' });
  });

  it('shows an upload whose chunk is still streaming in on one node as busy to the sweep of another', async () => {
    const prefix = `rtm-media-test:${randomUUID()}:`;
    const [a, b] = [storage(prefix), storage(prefix)];
    await a.beginUpload(upload(id('u'), 2 * 1024 * 1024));
    let resume = () => {};
    const paused = new Promise<void>((r) => (resume = r));
    async function* slow(): AsyncGenerator<Uint8Array> {
      yield Buffer.alloc(600 * 1024, 1);
      await paused;
      yield Buffer.alloc(100, 2);
    }
    const writing = a.appendUpload(id('u'), 0, slow(), NOW + 100_000);
    await expect.poll(async () => (await b.listUploads())[0]?.touchedAt).toBeGreaterThanOrEqual(NOW + 100_000);
    expect((await b.getUpload(id('u')))?.touchedAt).toBe(NOW);
    resume();
    expect(await writing).toMatchObject({ received: 600 * 1024 + 100, touchedAt: NOW + 100_000 });
    expect((await b.listUploads())[0]?.touchedAt).toBe(NOW + 100_000);
  });

  it('gives an abandoned upload back by itself when no node swept it', async () => {
    const s = storage(undefined, { abandonedUploadMs: 5_000 });
    const quota = { maxUserBytes: 10, maxAppBytes: 100 };
    await s.beginUpload(upload(id('u'), 10), quota);
    expect(await s.beginUpload(upload(id('v'), 10, { startedAt: NOW + 4_999 }), quota)).toEqual({ ok: false, over: 'user' });
    expect(await s.beginUpload(upload(id('v'), 10, { startedAt: NOW + 5_000 }), quota)).toEqual({ ok: true });
    expect(await s.getUpload(id('u'))).toBeNull();
  });

  it('keeps every key under the prefix, per app behind its hash tag, each with a TTL', async () => {
    const prefix = `rtm-media-test:${randomUUID()}:`;
    const s = storage(prefix);
    await s.beginUpload(upload(id('u'), 3));
    await s.appendUpload(id('u'), 0, once(Buffer.from('abc')), NOW);
    await s.completeUpload(id('u'), media(id('m'), 3));
    await s.beginUpload(upload(id('p'), 3));
    await s.appendUpload(id('p'), 0, once(Buffer.from('a')), NOW);
    const keys = await keysOf(inspector, prefix);
    const global = new Set([`${prefix}media-expiry`, `${prefix}media-uploads`]);
    for (const key of keys) {
      if (global.has(key)) continue;
      expect(key.startsWith(`${prefix}{${APP}}:media`) || key.startsWith(`${prefix}media-app:`)).toBe(true);
      const ttl = await inspector.pttl(key);
      expect(ttl, key).toBeGreaterThan(0);
    }
    expect(await inspector.pttl(`${prefix}{${APP}}:media:bytes:${id('m')}`)).toBeGreaterThan(7 * DAY);
    expect(keys.some((k) => k.includes(':staging:'))).toBe(false);
  });

  it('refuses malformed IDs without touching Redis keys', async () => {
    const s = storage();
    await expect(s.beginUpload(upload('../x', 1))).rejects.toThrow('malformed');
    expect(await s.getUpload('../x')).toBeNull();
    expect(await s.getMedia('*')).toBeNull();
    expect(await s.deleteMedia('*')).toBe(false);
  });
});
